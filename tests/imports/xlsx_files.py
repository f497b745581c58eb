"""Building .xlsx files byte by byte, bombs included: a zip writer that takes parts already deflated,
so that a part unpacking to hundreds of megabytes is made in milliseconds from one compressed block
repeated (after a full flush the compressor starts afresh: the same input gives the same bytes)."""

import struct
import zlib
from dataclasses import dataclass

MiB = 1024 * 1024
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + REL + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ' + NS + b' xmlns:r="' + REL + b'">'
    b'<sheets><sheet name="Danh sach" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="' + REL + b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


@dataclass
class Part:
    name: str
    raw: bytes  # the deflated stream (no zlib header)
    size: int  # what it unpacks to
    crc: int


def deflated(name: str, data: bytes, level: int = 6) -> Part:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Part(name, compressor.compress(data) + compressor.flush(), len(data), zlib.crc32(data))


def repeated(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> Part:
    """``head + chunk * times + tail``, deflated without ever being in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return Part(name, first + block * times + last, len(head) + len(chunk) * times + len(tail), crc)


def streamed(name: str, pieces) -> Part:
    """A part made of many generated pieces (a sheet of a million rows), deflated as they come."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    raw, size, crc = [], 0, 0
    for piece in pieces:
        raw.append(compressor.compress(piece))
        size += len(piece)
        crc = zlib.crc32(piece, crc)
    raw.append(compressor.flush())
    return Part(name, b"".join(raw), size, crc)


LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")
PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def zip_of(parts: list[Part]) -> bytes:
    out, central = bytearray(), bytearray()
    for part in parts:
        offset, name = len(out), part.name.encode()
        # flags, method (deflate), time, date (1 January 1980), crc, packed size, size, name length
        fields = (0, 8, 0, 0x21, part.crc, len(part.raw), part.size, len(name))
        out += LOCAL_HEADER.pack(0x04034B50, 20, *fields, 0) + name + part.raw
        central += CENTRAL_HEADER.pack(0x02014B50, 20, 20, *fields, 0, 0, 0, 0, 0, offset) + name
    return bytes(out + central + END.pack(0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out), 0))


def sheet_xml(rows: bytes) -> bytes:
    return PROLOG + b"<worksheet " + NS + b"><sheetData>" + rows + b"</sheetData></worksheet>"


def inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def workbook(sheet: bytes | Part, shared: bytes | Part | None = None, extra: list[Part] = ()) -> bytes:
    """An .xlsx of one sheet (its XML, or a part made already), with shared strings if given."""
    parts = [
        deflated("[Content_Types].xml", CONTENT_TYPES),
        deflated("_rels/.rels", ROOT_RELS),
        deflated("xl/workbook.xml", WORKBOOK),
        deflated("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet if isinstance(sheet, Part) else deflated("xl/worksheets/sheet1.xml", sheet),
    ]
    if shared is not None:
        parts.append(shared if isinstance(shared, Part) else deflated("xl/sharedStrings.xml", shared))
    return zip_of([*parts, *extra])


def shared_string_bomb(mib: int = 390) -> bytes:
    """An .xlsx of ≈ 400 KB whose one shared string is ``mib`` MiB of "A"; its only cell shows it."""
    strings = repeated(
        "xl/sharedStrings.xml",
        PROLOG + b"<sst " + NS + b' count="1" uniqueCount="1"><si><t>',
        b"A" * MiB,
        mib,
        b"</t></si></sst>",
    )
    return workbook(sheet_xml(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings)


def rows_sheet(count: int, columns: int = 1) -> Part:
    """A sheet of ``count`` rows of text, row 1 a header."""

    def pieces():
        letters = [chr(65 + i) for i in range(columns)]
        for start in range(1, count + 1, 10_000):
            yield b"".join(
                b'<row r="%d">' % n + b"".join(inline(f"{c}{n}", f"v{n}") for c in letters) + b"</row>"
                for n in range(start, min(start + 10_000, count + 1))
            )

    head = PROLOG + b"<worksheet " + NS + b"><sheetData>"
    return streamed("xl/worksheets/sheet1.xml", [head, *pieces(), b"</sheetData></worksheet>"])
