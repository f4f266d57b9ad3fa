package conversations_test

import (
	"testing"

	"github.com/conversations-go/conversations/internal/spectest"
	"github.com/stretchr/testify/require"
)

// specFile is the spec copy every spec-driven test reads.
var specFile = spectest.Path

// loadSpec returns the operations of the spec copy in testdata/spec.
func loadSpec(t testing.TB) []*spectest.Op {
	t.Helper()
	ops, err := spectest.Load(specFile)
	require.NoError(t, err)
	return ops
}
