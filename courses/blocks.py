"""StreamField blocks of a lesson body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"), help_text=_("Describe the image for people who cannot see it.")
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"))
    captions = DocumentChooserBlock(label=_("Caption track (WebVTT .vtt)"))
    captions_language = blocks.ChoiceBlock(
        choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi", label=_("Caption language")
    )
    title = blocks.CharBlock(label=_("Title"))
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    transcript = blocks.RichTextBlock(label=_("Transcript"), required=False, features=["bold", "italic", "ol", "ul"])

    class Meta:
        icon = "media"
        label = _("Video with captions")
        template = "courses/blocks/video.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="info",
        label=_("Kind"),
    )
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "help"
        label = _("Callout box")
        template = "courses/blocks/callout.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    label = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "download"
        label = _("Downloadable file")
        template = "courses/blocks/download.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="courses/blocks/rich_text.html"
    )
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    download = DownloadBlock()
