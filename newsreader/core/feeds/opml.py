"""OPML subscription lists in and out, nested folders kept both ways.

Reading uses listparser, which is lenient about what real exports get wrong (odd encodings,
missing titles, `text` instead of `title`, Google Reader's tags). listparser quietly drops the
outlines it cannot use, so they are found again with lxml (recovering, no network, no entity
expansion) to tell the user each one it skipped and why. Writing uses ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

import listparser
from charset_normalizer import from_bytes
from lxml import etree

from newsreader.core.feeds.fetch import UnsupportedURL, check_url
from newsreader.core.models import Skipped
from newsreader.core.sources import Source, normalise_folder


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed an OPML file lists: its address, title and folder (`a/b` when nested)."""

    url: str
    title: str
    folder: str = ""
    site_url: str = ""


@dataclass(slots=True)
class OpmlList:
    title: str = ""
    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def read_opml(data: bytes, origin: str = "") -> OpmlList:
    """Feeds listed in OPML bytes, with every outline skipped and why (never raises)."""
    result: OpmlList = OpmlList()
    try:
        parsed = listparser.parse(_decode(data))
    except Exception as exc:  # listparser is lenient; anything else is a damaged file
        result.skipped.append(Skipped(origin, f"cannot be read as OPML ({exc})"))
        return result
    result.title = str(parsed.get("meta", {}).get("title", "") or "")
    sites = _site_urls(data)
    seen: set[str] = set()
    for feed in parsed.get("feeds", []):
        url = str(feed.get("url", "") or "").strip()
        title = " ".join(str(feed.get("title", "") or "").split())
        label = title or url
        if url and "://" not in url and "." in url.split("/", 1)[0]:
            url = "http://" + url  # 'www.example.com/feed': an address without its scheme
        try:
            url = check_url(url)
        except UnsupportedURL as exc:
            result.skipped.append(Skipped(label, str(exc)))
            continue
        if url in seen:
            result.skipped.append(Skipped(label, "listed twice in this file"))
            continue
        seen.add(url)
        categories = feed.get("categories") or []
        folder = normalise_folder("/".join(categories[0])) if categories else ""
        result.feeds.append(OpmlFeed(url, title, folder, sites.get(url, "")))
    result.skipped += _unusable_outlines(data)
    if not result.feeds and not result.skipped and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        result.skipped.append(Skipped(origin, f"cannot be read as OPML ({reason})"))
    return result


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _decode(data: bytes) -> str:
    """The file as text: by its BOM, else its declared encoding, else UTF-8, else guessed.

    listparser reads bytes as UTF-8 whatever the file declares, so a Latin-1 export would
    lose its accents; decoding here keeps them.
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    declared = _DECLARED.match(data)
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return str(from_bytes(data).best() or data.decode("latin-1"))


def _tree(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _attr(outline: etree._Element, name: str) -> str:
    """An attribute by name, whatever its case (`xmlUrl`, `xmlurl`, `XMLURL` all occur)."""
    for key, value in outline.attrib.items():
        if str(key).lower() == name:
            return str(value).strip()
    return ""


def _site_urls(data: bytes) -> dict[str, str]:
    root = _tree(data)
    if root is None:
        return {}
    return {
        _attr(o, "xmlurl"): _attr(o, "htmlurl")
        for o in root.iter("outline")
        if _attr(o, "xmlurl") and _attr(o, "htmlurl")
    }


def _unusable_outlines(data: bytes) -> list[Skipped]:
    """Leaf outlines with no feed address (folders have children and are not skipped)."""
    root = _tree(data)
    if root is None:
        return []
    skipped: list[Skipped] = []
    for outline in root.iter("outline"):
        if len(outline) or _attr(outline, "xmlurl"):
            continue
        label = _attr(outline, "title") or _attr(outline, "text") or "(an outline with no title)"
        if _attr(outline, "htmlurl"):
            reason = f"only a web page address ({_attr(outline, 'htmlurl')}), no feed address"
        elif _attr(outline, "url"):
            reason = "a link, not a feed (no xmlUrl)"
        else:
            continue  # an empty folder or a note: nothing to subscribe to, nothing lost
        skipped.append(Skipped(label, reason))
    return skipped


def write_opml(feeds: Sequence[Source], title: str = "Newsreader subscriptions") -> bytes:
    """OPML 2.0 for feeds, folders as nested outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {"": body}

    def folder_element(path: str) -> ET.Element:
        if path in folders:
            return folders[path]
        parent_path, _, name = path.rpartition("/")
        element = ET.SubElement(folder_element(parent_path), "outline", text=name, title=name)
        folders[path] = element
        return element

    for feed in sorted(feeds, key=lambda f: (f.folder.casefold(), f.name.casefold())):
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.location}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ET.SubElement(folder_element(feed.folder), "outline", attributes)
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"
