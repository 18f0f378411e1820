package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The report in a real browser: Debian's chromium, headless, kept off the
// network. .ci/browser-check installs it in CI; elsewhere these tests skip
// without it, unless CI is set, when they fail.

// wantPages is how many A4 pages the default report prints on.
const wantPages = 4

// screenWidths are the viewport widths the report supports: a phone, a
// laptop window, a desktop.
var screenWidths = []int{360, 900, 1200}

// chromium returns the browser's path, skipping the test without one.
func chromium(t *testing.T) string {
	t.Helper()
	if raceEnabled && os.Getenv("CI") != "" {
		t.Skip("CI runs the browser tests in its plain run; under -race they would only be slower")
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: .ci/browser-check installs it")
	}
	t.Skip("chromium is not installed (apt-get install chromium); CI runs this test")
	return ""
}

// offline are the flags that keep chromium off the network: no background
// or component traffic, no QUIC, every host name unresolvable and every
// proxied request sent to a closed port, and a new empty profile.
func offline(t *testing.T) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--user-data-dir=" + t.TempDir(),
		"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"}
}

// runChromium runs the browser with args and returns its standard output.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(offline(t), args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// writeReport writes the report the command writes by default (its demo
// account, as of the base's end) and returns its path and HTML.
func writeReport(t *testing.T) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := run(context.Background(), []string{"-out", path}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, b
}

var (
	pageObject = regexp.MustCompile(`/Type\s*/Page\b`)
	headingRE  = regexp.MustCompile(`(?s)<h[1-3][^>]*>(.*?)</h[1-3]>`)
	tagRE      = regexp.MustCompile(`<[^>]+>`)
	titleRE    = regexp.MustCompile(`<title>(.*?)</title>`)
	pageNumRE  = regexp.MustCompile(`^(\d+)/(\d+)$`)
)

// headings returns the text of the report's h1 to h3 headings.
func headings(doc []byte) map[string]bool {
	hs := map[string]bool{}
	for _, m := range headingRE.FindAllSubmatch(doc, -1) {
		hs[strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(string(m[1]), ""))), " ")] = true
	}
	return hs
}

// TestBrowserPrint prints the report to PDF as CI does and checks that it
// renders on the expected number of pages, that the browser fetched
// nothing but the file, that every page shows the account's name and its
// page number, and that no page ends with a heading.
func TestBrowserPrint(t *testing.T) {
	bin := chromium(t)
	path, doc := writeReport(t)
	dir := t.TempDir()
	pdf, netlog := filepath.Join(dir, "report.pdf"), filepath.Join(dir, "netlog.json")
	fileURL := (&url.URL{Scheme: "file", Path: path}).String()
	// The default header and footer carry the title (which names the
	// account), the page number and the page count.
	runChromium(t, bin, "--log-net-log="+netlog, "--net-log-capture-mode=Everything", "--print-to-pdf="+pdf, fileURL)

	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s is not a PDF", pdf)
	}
	pages := len(pageObject.FindAll(b, -1))
	if pages != wantPages {
		t.Errorf("%d pages, want %d", pages, wantPages)
	}
	if out, err := exec.Command("pdfinfo", pdf).Output(); err == nil {
		if !regexp.MustCompile(`(?m)^Pages:\s+` + strconv.Itoa(pages) + `$`).Match(out) {
			t.Errorf("pdfinfo disagrees with the %d /Type /Page objects:\n%s", pages, out)
		}
	}

	// Nothing fetched.
	fetched, own := pageRequests(t, netlog)
	for _, u := range fetched {
		t.Errorf("the report fetched %s: it must need no network", u)
	}
	t.Logf("net log: the report fetched nothing; the browser's own service requests (blocked): %d", own)

	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed, and CI is set: .ci/browser-check installs poppler-utils")
		}
		t.Skip("pdftotext is not installed (apt-get install poppler-utils): page text not checked")
	}
	title := html.UnescapeString(string(titleRE.FindSubmatch(doc)[1]))
	hs := headings(doc)
	for p := 1; p <= pages; p++ {
		out, err := exec.Command("pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", p, err)
		}
		var lines []string
		numbered := false
		for _, l := range strings.Split(string(out), "\n") {
			l = strings.Join(strings.Fields(l), " ")
			switch m := pageNumRE.FindStringSubmatch(l); {
			case l == "":
			case m != nil:
				numbered = numbered || m[1] == strconv.Itoa(p) && m[2] == strconv.Itoa(pages)
			case strings.Contains(l, title), strings.HasPrefix(l, "file://"),
				regexp.MustCompile(`^\d+/\d+/\d+, \d+:\d+ [AP]M$`).MatchString(l): // header and footer
			default:
				lines = append(lines, l)
			}
		}
		if !strings.Contains(string(out), title) {
			t.Errorf("page %d does not show the title %q (the account's name)", p, title)
		}
		if !numbered {
			t.Errorf("page %d does not show its number as %d/%d", p, p, pages)
		}
		if len(lines) == 0 {
			t.Errorf("page %d is empty", p)
			continue
		}
		if last := lines[len(lines)-1]; hs[last] {
			t.Errorf("page %d ends with the heading %q: what it introduces is on the next page", p, last)
		}
	}
}

// pageRequests reads a chromium net log and returns the URLs the page
// requested: every URL_REQUEST_START_JOB whose initiator is an origin (a
// page's request carries its origin, "null" for a file), leaving out the
// browser's own service traffic (initiator "not an origin"), which the
// host-resolver rules and the dead proxy keep off the network anyway. A
// file:// page is read without a network request, so a report that fetches
// nothing leaves no request of its own.
func pageRequests(t *testing.T, path string) (page []string, own int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int            `json:"type"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		// A log cut short by the browser's exit lacks its closing "]}".
		fixed := append(bytes.TrimRight(bytes.TrimSpace(b), ","), "]}"...)
		if err2 := json.Unmarshal(fixed, &log); err2 != nil {
			t.Fatalf("net log %s: %v", path, err)
		}
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok || len(log.Events) == 0 {
		t.Fatalf("net log %s has no events or no URL_REQUEST_START_JOB type: the check would see nothing", path)
	}
	for _, e := range log.Events {
		if e.Type != start {
			continue
		}
		u, ok := e.Params["url"].(string)
		if !ok { // the job's end
			continue
		}
		if e.Params["initiator"] == "not an origin" {
			own++
			continue
		}
		page = append(page, u)
	}
	return page, own
}

// TestBrowserNetLogSeesFetches: the net log check fails on a page that
// fetches an image, a stylesheet and a font.
func TestBrowserNetLogSeesFetches(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	page, netlog := filepath.Join(dir, "fetches.html"), filepath.Join(dir, "netlog.json")
	doc := `<!DOCTYPE html><html><head><title>t</title><link rel="stylesheet" href="https://cdn.example.com/a.css">
<style>@font-face { font-family: X; src: url(https://fonts.example.com/x.woff2); } p { font-family: X; }</style></head>
<body><p>text</p><img src="http://img.example.com/logo.png" alt=""></body></html>`
	if err := os.WriteFile(page, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	runChromium(t, bin, "--log-net-log="+netlog, "--print-to-pdf="+filepath.Join(dir, "x.pdf"), (&url.URL{Scheme: "file", Path: page}).String())
	got, _ := pageRequests(t, netlog)
	for _, want := range []string{"https://cdn.example.com/a.css", "http://img.example.com/logo.png"} {
		if !slices.Contains(got, want) {
			t.Errorf("the net log check missed %s; it saw %q", want, got)
		}
	}
}

// overflowScript measures the laid-out page in the browser: the document's
// scroll width against the viewport, every element's box against the
// content box of <main> (elements inside a box that scrolls or clips are
// that box's business), and overlapping text within each chart. It writes
// its findings as JSON into a <pre id="layout-check">, which --dump-dom
// returns. It goes only into a copy made for the test: the report itself
// has no scripts.
const overflowScript = `<script>
(function () {
  var de = document.documentElement, main = document.querySelector("main");
  var cs = getComputedStyle(main), mr = main.getBoundingClientRect();
  var left = mr.left + parseFloat(cs.paddingLeft), right = mr.right - parseFloat(cs.paddingRight);
  var out = {viewport: innerWidth, clientWidth: de.clientWidth, scrollWidth: de.scrollWidth,
    content: [left, right], outside: [], overlaps: []};
  function name(el) {
    var c = el.getAttribute("class");
    return el.tagName.toLowerCase() + (c ? "." + c.split(" ").join(".") : "");
  }
  main.querySelectorAll("*").forEach(function (el) {
    for (var a = el.parentElement; a && a !== main; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return;
    }
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;
    if (r.left < left - 0.5 || r.right > right + 0.5) {
      out.outside.push(name(el) + " [" + Math.round(r.left) + ", " + Math.round(r.right) + "]");
    }
  });
  document.querySelectorAll("svg").forEach(function (svg, k) {
    var ts = Array.prototype.map.call(svg.querySelectorAll("text"), function (t) {
      return {s: t.textContent, r: t.getBoundingClientRect()};
    }).filter(function (t) { return t.s.trim() !== "" && t.r.width > 0; });
    for (var i = 0; i < ts.length; i++) for (var j = i + 1; j < ts.length; j++) {
      // A text's box has room above and below its glyphs: the lines of a
      // two-line label touch, so only ink (the middle 60%) counts.
      var a = ts[i].r, b = ts[j].r, ah = a.height * 0.2, bh = b.height * 0.2;
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top + ah < b.bottom - bh && b.top + bh < a.bottom - ah) {
        out.overlaps.push((svg.getAttribute("aria-label") || "svg " + k) + ": " + JSON.stringify(ts[i].s) + " over " + JSON.stringify(ts[j].s));
      }
    }
  });
  var top = window.parent.document;
  var pre = top.createElement("pre");
  pre.id = "layout-check";
  pre.textContent = JSON.stringify(out);
  top.body.appendChild(pre);
})();
</script>`

var layoutRE = regexp.MustCompile(`(?s)<pre id="layout-check">(.*?)</pre>`)

// TestBrowserScreen lays the report out at each supported width and fails
// on horizontal overflow of the viewport, on an element wider than the
// report's content box, and on chart labels drawn over each other.
func TestBrowserScreen(t *testing.T) {
	bin := chromium(t)
	_, doc := writeReport(t)
	if bytes.Contains(doc, []byte("<script")) {
		t.Fatal("the report has a script")
	}
	checked := bytes.Replace(doc, []byte("</body>"), []byte(overflowScript+"\n</body>"), 1)
	for _, w := range screenWidths {
		t.Run(fmt.Sprintf("%dpx", w), func(t *testing.T) {
			// Headless chromium's window is at least 500 px wide, so the
			// report is laid out in an iframe of the width under test
			// (its own viewport: media queries and vw follow it); srcdoc
			// keeps it same-origin, so the script writes to the parent.
			frame := fmt.Sprintf(`<!DOCTYPE html><html><body style="margin:0"><iframe style="border:0;width:%dpx;height:1200px" srcdoc="%s"></iframe></body></html>`,
				w, html.EscapeString(string(checked)))
			path := filepath.Join(t.TempDir(), "frame.html")
			if err := os.WriteFile(path, []byte(frame), 0o644); err != nil {
				t.Fatal(err)
			}
			dom := runChromium(t, bin, "--window-size=1400,1300", "--dump-dom", (&url.URL{Scheme: "file", Path: path}).String())
			m := layoutRE.FindSubmatch(dom)
			if m == nil {
				t.Fatalf("no layout check in the dumped DOM (%d bytes)", len(dom))
			}
			var got struct {
				Viewport, ClientWidth, ScrollWidth int
				Content                            []float64
				Outside, Overlaps                  []string
			}
			if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
				t.Fatal(err)
			}
			if got.Viewport != w {
				t.Fatalf("viewport %d px, want %d: --window-size did not apply", got.Viewport, w)
			}
			t.Logf("viewport %d, document %d wide, content box %v", got.ClientWidth, got.ScrollWidth, got.Content)
			if got.ScrollWidth > got.ClientWidth {
				t.Errorf("the document is %d px wide in a %d px viewport", got.ScrollWidth, got.ClientWidth)
			}
			for _, o := range got.Outside {
				t.Errorf("outside the content box %v: %s", got.Content, o)
			}
			for _, o := range got.Overlaps {
				t.Errorf("overlapping labels: %s", o)
			}
		})
	}
}
