package config

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Dump writes the effective configuration as YAML with config.yaml's key
// names, order and units (durations as "2s"), secrets redacted, so it can be
// compared with or pasted into config.yaml.
func (c Config) Dump(w io.Writer) error {
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{yamlNode(reflect.ValueOf(c))}}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}

// DumpDiff writes, like Dump, only the keys whose value differs from base
// (usually Defaults), or {} when none does.
func (c Config) DumpDiff(w io.Writer, base Config) error {
	n := pruneEqual(yamlNode(reflect.ValueOf(c)), yamlNode(reflect.ValueOf(base)))
	if n == nil {
		n = &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{n}}); err != nil {
		return err
	}
	return enc.Close()
}

// pruneEqual returns n without the mapping entries equal in base, or nil
// when n equals base. Both come from yamlNode on the same type.
func pruneEqual(n, base *yaml.Node) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		if sameNode(n, base) {
			return nil
		}
		return n
	}
	if !sameKeys(n, base) { // a map (locale.overrides) with other keys
		if sameNode(n, base) {
			return nil
		}
		return n
	}
	out := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := pruneEqual(n.Content[i+1], base.Content[i+1]); v != nil {
			out.Content = append(out.Content, n.Content[i], v)
		}
	}
	if len(out.Content) == 0 {
		return nil
	}
	return out
}

func sameKeys(a, b *yaml.Node) bool {
	if b.Kind != yaml.MappingNode || len(a.Content) != len(b.Content) {
		return false
	}
	for i := 0; i < len(a.Content); i += 2 {
		if a.Content[i].Value != b.Content[i].Value {
			return false
		}
	}
	return true
}

func sameNode(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

var (
	durationType = reflect.TypeOf(time.Duration(0))
	secretType   = reflect.TypeOf(Secret(""))
)

func yamlNode(v reflect.Value) *yaml.Node {
	scalar := func(tag, s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s} }
	switch {
	case v.Type() == durationType:
		return scalar("!!str", FormatDuration(time.Duration(v.Int())))
	case v.Type() == secretType:
		return scalar("!!str", Secret(v.String()).String())
	}
	switch v.Kind() {
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			key := f.Tag.Get("mapstructure")
			if key == "" || key == "-" || !f.IsExported() {
				continue
			}
			n.Content = append(n.Content, scalar("!!str", key), yamlNode(v.Field(i)))
		}
		return n
	case reflect.Map:
		return mapNode(v, yamlNode)
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for i := 0; i < v.Len(); i++ {
			n.Content = append(n.Content, yamlNode(v.Index(i)))
		}
		return n
	case reflect.String:
		return scalar("!!str", v.String())
	case reflect.Bool:
		return scalar("!!bool", strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int64, reflect.Int32:
		return scalar("!!int", strconv.FormatInt(v.Int(), 10))
	case reflect.Float64, reflect.Float32:
		// "0.0", not "0": a whole number would need its tag printed ("!!float 0").
		f := strconv.FormatFloat(v.Float(), 'g', -1, 64)
		if !strings.ContainsAny(f, ".eEnN") {
			f += ".0"
		}
		return scalar("!!float", f)
	}
	panic(fmt.Sprintf("config: Dump cannot render %s", v.Type()))
}

// FormatDuration renders d as config.yaml writes durations: "2s", "120s",
// "1500ms", "90m".
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d%time.Hour == 0 && d >= 2*time.Hour:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0 && d >= 10*time.Minute:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	case d%time.Millisecond == 0:
		return strconv.FormatInt(int64(d/time.Millisecond), 10) + "ms"
	}
	return strings.TrimSpace(d.String())
}
