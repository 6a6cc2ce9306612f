package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/schemagate/schemagate/internal/finding"
)

const (
	// informationURI is the tool's home page in SARIF.
	informationURI = "https://github.com/schemagate/schemagate"
	// srcRoot is the uriBaseId of relative artifact URIs; GitHub code
	// scanning resolves it to the repository root.
	srcRoot = "%SRCROOT%"
)

// writeSARIF writes the report as SARIF 2.1.0 that GitHub code scanning
// accepts, indented by two spaces and ending in a newline.
func writeSARIF(w io.Writer, r *Report, opts Options) error {
	doc, err := buildSARIF(r, opts)
	if err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func buildSARIF(r *Report, opts Options) (*sarif.Report, error) {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	name := r.Tool
	if name == "" {
		name = "schemagate"
	}
	driver := sarif.NewDriver(name).WithInformationURI(informationURI)
	if r.ToolVersion != "" {
		driver.WithVersion(r.ToolVersion)
	}
	run := sarif.NewRun(sarif.Tool{Driver: driver})
	// Finding.Column counts characters, not UTF-16 code units.
	run.WithColumnKind("unicodeCodePoints")

	known := make(map[string]bool, len(r.Rules))
	for _, rule := range r.Rules {
		if !known[rule.ID] {
			known[rule.ID] = true
			driver.AddRule(sarifRule(rule))
		}
	}
	// Every result's ruleId must name a rule of the driver, so a finding
	// of a rule that Rules does not list gets a rule made from the finding.
	for _, f := range r.Findings {
		if !known[f.Rule] {
			known[f.Rule] = true
			driver.AddRule(sarifRule(Rule{ID: f.Rule, Severity: f.Severity, Phase: f.Phase}))
		}
	}

	var unplaced []*sarif.Notification
	for _, f := range r.Findings {
		loc := sarifLocation(r, f, opts.Root)
		if loc == nil {
			// GitHub rejects the whole upload when one result has no
			// location ("locationFromSarifResult: expected at least one
			// location"), so a finding that belongs to no file is kept
			// as a notification of the run instead of a result.
			unplaced = append(unplaced, sarif.NewNotification().
				WithLevel(sarifLevel(f.Severity)).
				WithTextMessage(f.Message).
				WithAssociatedRule(sarif.NewReportingDescriptorReference().
					WithId(f.Rule).
					WithIndex(ruleIndex(driver, f.Rule))))
			continue
		}
		// AddResult sets ruleIndex from the driver's rules.
		run.AddResult(sarif.NewRuleResult(f.Rule).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			WithLocations([]*sarif.Location{loc}))
	}
	if len(unplaced) > 0 {
		run.AddInvocations(sarif.NewInvocation().
			WithExecutionSuccess(true).
			WithToolExecutionNotifications(unplaced))
	}
	doc.AddRun(run)
	return doc, nil
}

func ruleIndex(driver *sarif.ToolComponent, id string) int {
	for i, rule := range driver.Rules {
		if rule.ID == id {
			return i
		}
	}
	return -1
}

// sarifRule is the reportingDescriptor of rule.
func sarifRule(rule Rule) *sarif.ReportingDescriptor {
	title := rule.Title
	if title == "" {
		title = rule.ID
	}
	d := sarif.NewRule(rule.ID).
		WithName(camelCase(rule.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(title)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity)))
	if rule.Text != "" {
		d.WithFullDescription(sarif.NewMultiformatMessageString(rule.Text))
	}
	text, markdown := ruleHelp(rule)
	d.WithHelp(sarif.NewMultiformatMessageString(text).WithMarkdown(markdown))
	tags := []string{"postgresql", "migrations"}
	if rule.Phase != "" {
		tags = append(tags, string(rule.Phase))
	}
	d.WithProperties(sarif.Properties{"tags": tags})
	return d
}

// ruleHelp is the help of a rule, as plain text and as Markdown: the rule's
// text, its help line and where to read more.
func ruleHelp(rule Rule) (text, markdown string) {
	var t, md []string
	if rule.Text != "" {
		t = append(t, rule.Text)
		md = append(md, rule.Text)
	}
	if rule.Help != "" {
		t = append(t, "Help: "+rule.Help)
		md = append(md, "**Help:** "+rule.Help)
	}
	more := "Run `schemagate explain " + rule.ID + "` for more."
	if rule.Examples {
		more = "Run `schemagate explain " + rule.ID + "` for a bad and a safe example."
	}
	t, md = append(t, more), append(md, more)
	return strings.Join(t, "\n\n"), strings.Join(md, "\n\n")
}

// sarifLocation is where f is shown (see place), or nil when it belongs to
// no file.
func sarifLocation(r *Report, f finding.Finding, root string) *sarif.Location {
	loc := place(r, f)
	if loc.File == "" {
		return nil
	}
	uri, relative := fileURI(repoPath(loc.File, root))
	art := sarif.NewSimpleArtifactLocation(uri)
	if relative {
		art.WithUriBaseId(srcRoot)
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(art)
	if loc.Line > 0 {
		reg := sarif.NewRegion().WithStartLine(loc.Line)
		if loc.Column > 0 {
			reg.WithStartColumn(loc.Column)
		}
		if loc.EndLine >= loc.Line {
			reg.WithEndLine(loc.EndLine)
		}
		pl.WithRegion(reg)
	}
	return sarif.NewLocationWithPhysicalLocation(pl)
}

// fileURI turns a slash-separated path into a URI reference: relative paths
// stay relative (and resolve against %SRCROOT%), absolute ones become file
// URIs. Characters outside RFC 3986's unreserved and sub-delims, and
// non-ASCII bytes, are percent-encoded.
func fileURI(p string) (uri string, relative bool) {
	switch {
	case strings.HasPrefix(p, "/"):
		return "file://" + escapePath(p, false), false
	case len(p) >= 3 && p[1] == ':' && p[2] == '/' && isLetter(p[0]):
		// A Windows drive: file:///C:/dir/file.sql
		return "file:///" + p[:2] + escapePath(p[2:], false), false
	}
	return escapePath(p, true), true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// escapePath percent-encodes p for the path of a URI. In a relative
// reference a colon in the first segment would read as a scheme, so there
// it is encoded too.
func escapePath(p string, relative bool) string {
	const keep = "-._~!$&'()*+,;=@/"
	var b strings.Builder
	firstSegment := relative
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/':
			firstSegment = false
			b.WriteByte(c)
		case c == ':' && !firstSegment:
			b.WriteByte(c)
		case c < 0x80 && (isLetter(c) || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	case finding.Notice:
		return "note"
	}
	return "none"
}

// camelCase turns a rule id into a SARIF rule name:
// create-index-non-concurrently becomes CreateIndexNonConcurrently.
func camelCase(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}
