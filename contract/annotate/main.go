// Command annotate writes a copy of the Conversations OpenAPI spec for
// Stoplight Prism. It adds `encoding: {style: form, explode: true}` to every
// array property of a form request body. That is already the OpenAPI
// default for form bodies, so the meaning of the spec does not change, but
// Prism (stoplightio/prism#2473) reads repeated keys such as
// Permission=a&Permission=b as an array only when the encoding is explicit.
//
// Usage: go run ./contract/annotate IN.json OUT.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: annotate IN.json OUT.json")
		os.Exit(2)
	}
	n, err := annotate(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "annotate:", err)
		os.Exit(1)
	}
	fmt.Printf("annotate: added form/explode encoding to %d array properties\n", n)
}

type object = map[string]any

func annotate(in, out string) (int, error) {
	raw, err := os.ReadFile(in)
	if err != nil {
		return 0, err
	}
	var spec object
	if err := json.Unmarshal(raw, &spec); err != nil {
		return 0, err
	}
	paths, _ := spec["paths"].(object)
	if len(paths) == 0 {
		return 0, fmt.Errorf("%s has no paths", in)
	}
	count := 0
	for _, item := range paths {
		for _, op := range item.(object) {
			opm, ok := op.(object)
			if !ok {
				continue
			}
			media := dig(opm, "requestBody", "content", "application/x-www-form-urlencoded")
			if media == nil {
				continue
			}
			props := dig(media, "schema", "properties")
			var names []string
			for name, p := range props {
				if pm, ok := p.(object); ok && pm["type"] == "array" {
					names = append(names, name)
				}
			}
			if len(names) == 0 {
				continue
			}
			sort.Strings(names)
			enc, _ := media["encoding"].(object)
			if enc == nil {
				enc = object{}
				media["encoding"] = enc
			}
			for _, name := range names {
				enc[name] = object{"style": "form", "explode": true}
				count++
			}
		}
	}
	b, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		return 0, err
	}
	return count, os.WriteFile(out, b, 0o644)
}

// dig walks nested objects by key, returning nil when a key is missing.
func dig(m object, keys ...string) object {
	for _, k := range keys {
		next, ok := m[k].(object)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}
