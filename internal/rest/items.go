package rest

import (
	"context"
	"iter"
)

// Pager is a page of a list of either API: it tells whether a page
// follows and fetches it.
type Pager[P any] interface {
	HasNextPage() bool
	NextPage(ctx context.Context) (P, error)
}

// Items is the walk behind every All of both APIs: it calls first when
// ranged over (so ranging again starts from the first page), yields every
// item of each page (items returns a page's items), fetches the next page
// only when the consumer asks for an item beyond the ones it has, starts no
// goroutine, sends nothing once the consumer stops, and yields (nil, err)
// once on the first failure, which ends it.
func Items[T any, P Pager[P]](ctx context.Context, first func() (P, error), items func(P) []T) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		page, err := first()
		for {
			if err != nil {
				yield(nil, err)
				return
			}
			s := items(page)
			for i := range s {
				if !yield(&s[i], nil) {
					return
				}
			}
			if !page.HasNextPage() {
				return
			}
			page, err = page.NextPage(ctx)
		}
	}
}
