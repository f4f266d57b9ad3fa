package orchestrator

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/conversations-go/conversations"
)

func participantsPage(ids []string, next string) string {
	items := ""
	for i, id := range ids {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"id":%q,"conversationId":%q,"accountId":"AC1"}`, id, convID)
	}
	meta := fmt.Sprintf(`{"key":"participants","pageSize":%d`, len(ids))
	if next != "" {
		meta += fmt.Sprintf(`,"nextToken":%q`, next)
	}
	return `{"participants":[` + items + `],"meta":` + meta + `}}`
}

// TestAllFollowsNextToken walks three pages: the later requests carry the
// filters, the page size and pageToken, and every item comes out once.
func TestAllFollowsNextToken(t *testing.T) {
	pages := map[string]string{
		"pageSize=2":                         participantsPage([]string{"p1", "p2"}, "tok+2/="),
		"pageSize=2&pageToken=tok%2B2%2F%3D": participantsPage([]string{"p3", "p4"}, "tok3"),
		"pageSize=2&pageToken=tok3":          participantsPage([]string{"p5"}, ""),
	}
	rec := newRecorder(t, func(_ int, r recorded) stub {
		b, ok := pages[r.query]
		if !ok || r.path != "/v2/Conversations/"+convID+"/Participants" {
			return stub{status: 404, body: `{"code":20404,"message":"no"}`}
		}
		return stub{status: 200, body: b}
	})
	c := testClient(t, rec.srv.URL)
	var ids []string
	for p, err := range c.Participants.All(context.Background(), convID, &ListParams{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if fmt.Sprint(ids) != "[p1 p2 p3 p4 p5]" {
		t.Errorf("ids %v", ids)
	}
	if n := len(rec.requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	// Stopping early sends nothing more.
	before := len(rec.requests())
	for range c.Participants.All(context.Background(), convID, &ListParams{PageSize: 2}) {
		break
	}
	if n := len(rec.requests()) - before; n != 1 {
		t.Errorf("early stop sent %d requests, want 1", n)
	}
	// List + NextPage, and the last page.
	page, err := c.Participants.List(context.Background(), convID, &ListParams{PageSize: 2})
	if err != nil || !page.HasNextPage() {
		t.Fatal(err)
	}
	for page.HasNextPage() {
		if page, err = page.NextPage(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := page.NextPage(context.Background()); !errors.Is(err, conversations.ErrNoNextPage) {
		t.Errorf("NextPage on the last page: %v", err)
	}
}

// TestAllDetectsCycles ends a list whose token comes back, or whose page
// repeats an earlier page's items, with ErrPageCycle after every new item.
func TestAllDetectsCycles(t *testing.T) {
	for name, pages := range map[string]map[string]string{
		"token reused": {
			"":            participantsPage([]string{"p1"}, "a"),
			"pageToken=a": participantsPage([]string{"p2"}, "b"),
			"pageToken=b": participantsPage([]string{"p3"}, "a"),
		},
		"items repeated": {
			"":            participantsPage([]string{"p1", "p2"}, "a"),
			"pageToken=a": participantsPage([]string{"p1", "p2"}, "b"),
		},
	} {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, func(_ int, r recorded) stub { return stub{status: 200, body: pages[r.query]} })
			c := testClient(t, rec.srv.URL)
			var ids []string
			var last error
			for p, err := range c.Participants.All(context.Background(), convID, nil) {
				if err != nil {
					last = err
					break
				}
				ids = append(ids, p.ID)
			}
			var de *conversations.DecodeError
			if !errors.Is(last, conversations.ErrPageCycle) || !errors.As(last, &de) {
				t.Fatalf("err %v, want a *DecodeError wrapping ErrPageCycle", last)
			}
			if len(ids) < 2 {
				t.Errorf("ids %v", ids)
			}
		})
	}
}

// TestListWithoutItems is a DecodeError: a 2xx without what was promised.
func TestListWithoutItems(t *testing.T) {
	rec := newRecorder(t, func(int, recorded) stub { return stub{status: 200, body: `{"meta":{"key":"x","pageSize":0}}`} })
	c := testClient(t, rec.srv.URL)
	_, err := c.Communications.List(context.Background(), convID, nil)
	var de *conversations.DecodeError
	if !errors.As(err, &de) || !errors.Is(err, errNoItems) {
		t.Fatalf("err %v", err)
	}
}

// TestPageOf covers the fake-page helpers.
func TestPageOf(t *testing.T) {
	boom := errors.New("boom")
	p := PageOf([]Participant{{ID: "a"}}, boom)
	if !p.HasNextPage() {
		t.Error("HasNextPage")
	}
	if _, err := p.NextPage(context.Background()); err != boom {
		t.Error(err)
	}
	var nilPage *Page[Participant]
	if nilPage.HasNextPage() {
		t.Error("nil page")
	}
	if _, err := nilPage.NextPage(context.Background()); !errors.Is(err, conversations.ErrNoNextPage) {
		t.Error(err)
	}
	hand := &Page[Participant]{Meta: Meta{NextToken: "x"}}
	if _, err := hand.NextPage(context.Background()); !conversations.IsValidation(err) {
		t.Error(err)
	}
}
