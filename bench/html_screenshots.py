"""Screenshots of a site argmap html wrote, to look at it: the index, a map page, a claim's
panel open, a claim's page, a work's page and the references, in light and dark, on a
wide screen and a phone (390 px).

    python3 bench/html_screenshots.py SITE OUT [MAP CLAIM]

MAP and CLAIM default to the first map page and its first conclusion's panel."""

import os
import pathlib
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from html_cdp import Browser  # noqa: E402


def main():
    site = pathlib.Path(sys.argv[1]).resolve()
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if len(sys.argv) > 4:
        map_name, claim = sys.argv[3], sys.argv[4]
    else:
        map_name = sorted(p.stem for p in (site / "maps").glob("*.html"))[0]
        page = (site / "maps" / f"{map_name}.html").read_text()
        claim = re.search(r'href="#focus-([^"]+)"', page).group(1)
    work = sorted(p.stem for p in (site / "works").glob("*.html"))[0]
    pages = [
        ("index", "index.html", ""),
        ("map", f"maps/{map_name}.html", ""),
        ("focus", f"maps/{map_name}.html", f"#focus-{claim}"),
        ("panel", f"maps/{map_name}.html", f"#claim-{claim}"),
        ("claim", f"claims/{map_name}/{claim}.html", ""),
        ("work", f"works/{work}.html", ""),
        ("references", "references.html", ""),
    ]
    for scheme in ("light", "dark"):
        for device, (width, height, mobile) in {"wide": (1280, 900, False),
                                                "phone": (390, 844, True)}.items():
            with Browser(width, height) as browser:
                browser.call("Emulation.setEmulatedMedia",
                             {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                browser.call("Emulation.setDeviceMetricsOverride",
                             {"width": width, "height": height, "deviceScaleFactor": 1,
                              "mobile": mobile})
                for name, path, fragment in pages:
                    browser.open((site / path).as_uri() + fragment)
                    file = out / f"{name}-{scheme}-{device}.png"
                    browser.screenshot(file)
                    print(file)


if __name__ == "__main__":
    main()
