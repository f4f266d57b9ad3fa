package conversations_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// Send a file into a conversation: upload it to the conversation's
// Conversation Service (here the account's default one, c.Media; use
// c.Service(sid).Media for another), attach it to a new message within 5
// minutes, and download it again. The body is streamed, never held in
// memory whole: pass an *os.File and its size for a file on disk.
func ExampleMediaService_Upload() {
	srv := conversationstest.New()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	conv, err := c.Conversations.Create(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	file := strings.NewReader("%PDF-1.7 invoice #42")
	media, err := c.Media.Upload(ctx, &conversations.MediaUploadParams{
		ContentType: "application/pdf",
		Filename:    "invoice-42.pdf",
		Body:        file,
		Size:        file.Size(),
	})
	if err != nil {
		log.Fatal(err)
	}
	msg, err := c.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{
		Author:   conversations.Ptr("billing"),
		MediaSID: conversations.Ptr(media.SID),
	})
	if err != nil {
		log.Fatal(err)
	}
	att := msg.Media[0]
	fmt.Println(att.SID[:2], att.Filename, att.ContentType, att.Size)

	// Download fetches a fresh pre-signed link and reads the file from it,
	// sending no credentials there.
	rc, _, err := c.Media.Download(ctx, att.SID)
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	content, err := io.ReadAll(rc)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(content))
	// Output:
	// ME invoice-42.pdf application/pdf 20
	// %PDF-1.7 invoice #42
}
