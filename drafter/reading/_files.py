"""Reading a user's file safely: only regular files, never more than a size limit,
and every failure a clear Chinese message naming the file.

Text comes in UTF-8, GB18030/GBK or UTF-16 (see :func:`decode_text`); which one was
read is returned so a caller can say so.

A FIFO, a device (/dev/zero, /dev/urandom) or a symlink to one would hang a reader
or exhaust memory; they are refused before a byte is read. The size is checked on
the open file as well as while reading, so a file that grows meanwhile is still
bounded.
"""

from __future__ import annotations

from pathlib import Path

from .._errors import InputError
from .._safe_read import MAX_BYTES, read_bytes

__all__ = ["MAX_BYTES", "decode_text", "not_text_reason", "read_bytes", "read_text", "read_text_with_encoding"]

def read_text(path: str | Path, what: str = "文件", *, limit: int = MAX_BYTES) -> str:
    """A regular text file in UTF-8 or another common encoding (see :func:`decode_text`)."""
    return read_text_with_encoding(path, what, limit=limit)[0]


def read_text_with_encoding(path: str | Path, what: str = "文件", *, limit: int = MAX_BYTES) -> tuple[str, str]:
    """(text, the encoding it was read in) of a regular text file."""
    return decode_text(read_bytes(path, what, limit=limit), path, what)


# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

# Files that are not text at all, by their first bytes: what they are and what to do.
_NOT_TEXT = (
    (b"PK\x03\x04", "是 ZIP 压缩包（如 .docx、.xlsx），不是文本"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "是旧版 Office 文件（.doc、.xls、.wps）或加密的 Office 文件，不是文本；"
                                          "请在 Word 或 WPS 中另存为 .docx 或 .txt"),
    (b"%PDF-", "是 PDF 文件，不是文本；请提供原稿的 .docx 或 .txt"),
    (b"{\\rtf", "是 RTF 文档，不是纯文本；请在 Word 或 WPS 中另存为 .docx 或 .txt"),
)


def not_text_reason(data: bytes) -> str | None:
    """Why ``data`` is plainly not a text file (a Word, Excel or PDF file), or None."""
    for magic, reason in _NOT_TEXT:
        if data.startswith(magic):
            return reason
    return None


def decode_text(data: bytes, path: str | Path = "", what: str = "文件") -> tuple[str, str]:
    """(text, encoding) of the bytes of a text file, in the encodings Chinese offices'
    files come in: UTF-8 (with or without a BOM), GB18030 (which contains GBK and
    GB2312) and UTF-16/UTF-32 (with a BOM, or without one when the detector is sure).

    Valid UTF-8 is taken at once (the fast path: nothing else is imported). Otherwise
    charset-normalizer chooses between GB18030 and UTF-16/32 by how coherent each
    decoding reads: the UTF-16/32 family only when the bytes hold a NUL (any ASCII
    character or line break in UTF-16 does; GB18030 text never does), else GB18030.
    Big5, Shift-JIS and the Western code pages are not guessed at: such a file is
    refused with the advice to save it as UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding.removesuffix("-sig"), path, what), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    reason = not_text_reason(data)
    if reason:
        raise InputError(f"{what} {path} {reason}", path=str(path))
    encoding = _detect(data)
    if encoding is None:
        raise InputError(f"{what} {path} 的编码无法识别（不是 UTF-8、GB18030/GBK 或 UTF-16 文本）；"
                         f"请用记事本或 WPS 另存为 UTF-8 编码", path=str(path))
    return _decode(data, encoding, path, what), encoding


def _detect(data: bytes) -> str | None:
    import codecs

    from charset_normalizer import from_bytes

    wide = b"\x00" in data
    candidates = ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"] if wide else ["gb18030"]
    best = from_bytes(data, cp_isolation=candidates).best()
    return codecs.lookup(best.encoding).name if best is not None else None


def _decode(data: bytes, encoding: str, path: str | Path, what: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise InputError(f"{what} {path} 不是有效的 {encoding.upper()} 文本（第 {e.start} 字节附近）；"
                         f"请另存为 UTF-8 编码", path=str(path)) from None
