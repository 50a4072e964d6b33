"""Black ink for the press: a PDF's RGB colours and raster images made greys of K.

A print shop's PDF/X with a CMYK output intent must not draw in DeviceRGB. Our pages are
laid out for the screen (text black, rules and chart lines grey, an author's figure in
colour), so on the way to the press every RGB colour operator becomes the black ink (K)
of the colour's lightness, and every colour raster a DeviceGray one. The lightness is the
Rec. 709 luminance, the rule an SVG's colours follow too.
"""

from __future__ import annotations

import io
import re
import zlib

REC_709 = (0.2126, 0.7152, 0.0722)
COLOUR_OPERATORS = {"rg": "k", "RG": "K"}


def luminance(red: float, green: float, blue: float) -> float:
    """0 (black) to 1 (white)."""
    return REC_709[0] * red + REC_709[1] * green + REC_709[2] * blue


def to_black_ink(pdf) -> None:
    """Every page's colours and images in black ink alone."""
    done: set = set()
    for page in pdf.pages:
        page.contents_coalesce()
        _stream_to_k(page.obj, page.obj.Contents, done)
    images_to_grey(pdf)


# "r g b rg" with nothing but numbers before the operator; only used on streams without
# string literals or inline images, where no such bytes can be anything but an operation
RGB_OPERATION = re.compile(rb"(?<![^\s\[\]{}<>/])([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+([-+]?[\d.]+)\s+(rg|RG)(?![^\s\[\]{}<>/(%])")


def _stream_to_k(owner, stream, done: set) -> None:
    """Rewrite a content stream's RGB colours as K, then those of the forms it draws."""
    if stream.objgen != (0, 0):
        if stream.objgen in done:
            return
        done.add(stream.objgen)
    data = stream.read_bytes()
    if b"rg" in data or b"RG" in data:
        stream.write(_operations_to_k(stream, data))
    for form in owner.get("/Resources", {}).get("/XObject", {}).values():
        if form.get("/Subtype") == "/Form":
            _stream_to_k(form, form, done)


def _black(red: bytes | float, green, blue) -> str:
    return f"{round(1 - luminance(float(red), float(green), float(blue)), 4):g}"


def _operations_to_k(stream, data: bytes) -> bytes:
    """The content with its RGB operations as K. WeasyPrint's streams show text as hex
    strings, so a regular expression does it in one pass; a stream holding a literal
    string or an inline image, where "rg" could be text, is parsed by pikepdf instead."""
    import pikepdf

    if b"(" not in data and b"BI" not in data:
        return RGB_OPERATION.sub(
            lambda m: b"0 0 0 %s %s" % (_black(*m.groups()[:3]).encode(), COLOUR_OPERATORS[m[4].decode()].encode()),
            data)
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op in COLOUR_OPERATORS:
            operands, operator = [0, 0, 0, float(_black(*operands))], pikepdf.Operator(COLOUR_OPERATORS[op])
        instructions.append((operands, operator))
    return pikepdf.unparse_content_stream(instructions)


def images_to_grey(pdf) -> int:
    """Every colour image XObject of ``pdf`` as an 8-bit DeviceGray one; returns how many.

    Soft masks and stencil masks are left alone (they hold coverage, not colour)."""
    import pikepdf

    masks = {obj.SMask.objgen for obj in pdf.objects
             if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and "/SMask" in obj}
    count = 0
    for obj in pdf.objects:
        if not (isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"):
            continue
        if obj.objgen in masks or obj.get("/ImageMask") or obj.get("/ColorSpace") == "/DeviceGray":
            continue
        _grey_image(obj)
        count += 1
    return count


def _grey_image(obj) -> None:
    import pikepdf

    jpeg = obj.get("/Filter") == "/DCTDecode"
    picture = pikepdf.PdfImage(obj).as_pil_image().convert("L")
    if jpeg:                        # a photograph stays a JPEG (smaller than Flate)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=88)
        data, filter_ = out.getvalue(), pikepdf.Name.DCTDecode
    else:
        data, filter_ = zlib.compress(picture.tobytes(), 9), pikepdf.Name.FlateDecode
    obj.write(data, filter=filter_)
    obj.ColorSpace = pikepdf.Name.DeviceGray
    obj.BitsPerComponent = 8
    for key in ("/Decode", "/DecodeParms", "/Intent"):
        if key in obj:
            del obj[key]
