package conversations

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoldenFilesAreSpecExamples holds every body under testdata/golden
// (seeds of the fuzz targets and the benchmarks) to the spec example it
// copies, so that no fixture can drift from Twilio's spec: the tests read
// their bodies from the spec itself through golden.
//
// go test -run TestGoldenFilesAreSpecExamples -update-golden writes them anew.
func TestGoldenFilesAreSpecExamples(t *testing.T) {
	if *updateGolden {
		writeGolden(t)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var got, want any
		require.NoError(t, json.Unmarshal(b, &got), name)
		require.NoError(t, json.Unmarshal([]byte(golden(t, name)), &want), name)
		assert.Equal(t, want, got, "%s differs from the spec's example: regenerate it from testdata/spec", name)
	}
}

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the spec's examples")

// writeGolden replaces testdata/golden with every success example of the
// spec: OperationID.json for the preferred one, OperationID_name.json for
// each named one.
func writeGolden(t *testing.T) {
	dir := filepath.Join("testdata", "golden")
	require.NoError(t, os.RemoveAll(dir))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	write := func(name string, body []byte) {
		var buf bytes.Buffer
		require.NoError(t, json.Indent(&buf, body, "", "  "))
		buf.WriteByte('\n')
		require.NoError(t, os.WriteFile(filepath.Join(dir, name+".json"), buf.Bytes(), 0o644))
	}
	for id, op := range specOps(t) {
		if op.Example != nil {
			write(id, op.Example)
		}
		for ex, body := range op.Examples {
			write(id+"_"+ex, body)
		}
	}
}
