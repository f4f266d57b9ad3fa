package rest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakePage is a page of a list of pages held in memory; fetched counts the
// pages fetched after the first.
type fakePage struct {
	items   []int
	rest    []fakePage
	err     error // what NextPage returns
	fetched *int
}

func (p *fakePage) HasNextPage() bool { return len(p.rest) > 0 || p.err != nil }

func (p *fakePage) NextPage(context.Context) (*fakePage, error) {
	*p.fetched++
	if p.err != nil {
		return nil, p.err
	}
	next := p.rest[0]
	next.rest, next.fetched = p.rest[1:], p.fetched
	return &next, nil
}

func fakeItems(p *fakePage) []int { return p.items }

func TestItems(t *testing.T) {
	ctx := context.Background()
	var fetched, firsts int
	boom := errors.New("boom")
	first := func() (*fakePage, error) {
		firsts++
		return &fakePage{items: []int{1, 2}, rest: []fakePage{{}, {items: []int{3}}, {items: []int{4, 5}, err: boom}}, fetched: &fetched}, nil
	}
	var got []int
	var errs []error
	for v, err := range Items(ctx, first, fakeItems) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, *v)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got, "every item, across an empty page")
	assert.Equal(t, []error{boom}, errs, "the failure once, at the end")
	assert.Equal(t, 4, fetched)

	// Stopping early fetches nothing more; ranging again starts over.
	fetched = 0
	for v, err := range Items(ctx, first, fakeItems) {
		require.NoError(t, err)
		if *v == 2 {
			break
		}
	}
	assert.Equal(t, 0, fetched, "no page beyond the items consumed")
	assert.Equal(t, 2, firsts)

	// A failed first page: one error, no item.
	n := 0
	for v, err := range Items(ctx, func() (*fakePage, error) { return nil, boom }, fakeItems) {
		assert.Nil(t, v)
		assert.Equal(t, boom, err)
		n++
	}
	assert.Equal(t, 1, n)
}
