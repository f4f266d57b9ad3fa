// Command quickstart walks through the Conversations API with the SDK:
// it creates a Conversation Service and a conversation in it, adds a chat
// participant and an SMS participant, sends messages, pages through them
// with All, reads delivery receipts, updates and deletes, printing each
// step.
//
// Run with no arguments it needs no account and no network: it starts the
// in-memory fake of package conversationstest on 127.0.0.1 and runs
// against it.
//
//	go run ./examples/quickstart
//
// With -live it runs against Twilio with the credentials in the
// environment (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or TWILIO_API_KEY
// and TWILIO_API_SECRET). It creates a Conversation Service of its own and
// deletes it at the end. The SMS participant needs a real phone number and
// one of your Twilio numbers: pass them as -sms-to and -sms-from, or it is
// skipped.
//
//	TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... go run ./examples/quickstart -live
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

// config is what the flags select.
type config struct {
	live    bool
	smsTo   string
	smsFrom string
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.live, "live", false, "run against Twilio with the credentials in the environment instead of the in-memory fake")
	flag.StringVar(&cfg.smsTo, "sms-to", "", "with -live: phone number of the SMS participant (E.164)")
	flag.StringVar(&cfg.smsFrom, "sms-from", "", "with -live: your Twilio number the SMS participant talks to (E.164)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run picks the server and runs the walkthrough.
func run(ctx context.Context, out io.Writer, cfg config) error {
	var (
		client *conversations.Client
		fake   *conversationstest.Server
	)
	if cfg.live {
		c, err := conversations.NewClientFromEnv()
		if err != nil {
			return err
		}
		client = c
		fmt.Fprintln(out, "Running against Twilio (-live).")
	} else {
		fake = conversationstest.New()
		defer fake.Close()
		client = fake.Client()
		cfg.smsTo, cfg.smsFrom = "+15558675310", "+15017122661"
		fmt.Fprintf(out, "Running against the in-memory fake at %s (use -live for Twilio).\n", fake.URL)
	}
	return walkthrough(ctx, out, client, fake, cfg)
}

// walkthrough is the tour itself. fake is nil against Twilio.
func walkthrough(ctx context.Context, out io.Writer, c *conversations.Client, fake *conversationstest.Server, cfg config) (err error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }

	// A Conversation Service of our own keeps the walkthrough away from the
	// account's default service; everything below lives in it.
	svc, err := c.Services.Create(ctx, &conversations.ChatServiceCreateParams{FriendlyName: "quickstart " + time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return fmt.Errorf("creating the service: %w", err)
	}
	say("1. Created Conversation Service %s (%q)", svc.SID, svc.FriendlyName)
	defer func() {
		if derr := c.Services.Delete(context.WithoutCancel(ctx), svc.SID); derr != nil {
			err = errors.Join(err, fmt.Errorf("deleting the service: %w", derr))
			return
		}
		say("12. Deleted the service %s and everything in it", svc.SID)
	}()
	s := c.Service(svc.SID)

	attrs, err := conversations.MarshalAttributes(map[string]any{"topic": "billing", "priority": 2})
	if err != nil {
		return err
	}
	conv, err := s.Conversations.Create(ctx, &conversations.ConversationCreateParams{
		FriendlyName: conversations.Ptr("Support #1234"),
		UniqueName:   conversations.Ptr("support-1234"),
		Attributes:   conversations.Ptr(attrs),
		TimersClosed: conversations.Ptr("P1D"), // closes itself after a day without activity
	}, conversations.WithWebhookEnabled(false))
	if err != nil {
		return fmt.Errorf("creating the conversation: %w", err)
	}
	say("2. Created conversation %s %q, state %s, closes at %s", conv.SID, conv.UniqueName, conv.State, conv.Timers.DateClosed.Format(time.RFC3339))

	alice, err := s.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{Identity: conversations.Ptr("alice")})
	if err != nil {
		return fmt.Errorf("adding alice: %w", err)
	}
	say("3. Added chat participant %s (identity %q)", alice.SID, alice.Identity)

	var sms *conversations.Participant
	if cfg.smsTo != "" && cfg.smsFrom != "" {
		sms, err = s.Participants.Create(ctx, conv.SID, &conversations.ParticipantCreateParams{
			MessagingBindingAddress:      conversations.Ptr(cfg.smsTo),
			MessagingBindingProxyAddress: conversations.Ptr(cfg.smsFrom),
		})
		if err != nil {
			return fmt.Errorf("adding the SMS participant: %w", err)
		}
		say("4. Added SMS participant %s (%s via %s)", sms.SID, sms.MessagingBinding.Address, sms.MessagingBinding.ProxyAddress)
	} else {
		say("4. Skipped the SMS participant (pass -sms-to and -sms-from with -live)")
	}

	// A unique name stands in for the SID only in /v1/Conversations/{Sid}
	// (Conversations.Fetch, Update and Delete). Messages, participants,
	// webhooks and receipts take the SID (CH...), so the calls below use
	// conv.SID, the SID this fetch also returns.
	byName, err := s.Conversations.Fetch(ctx, "support-1234")
	if err != nil {
		return fmt.Errorf("fetching by unique name: %w", err)
	}
	say("5. Fetched it back by unique name: %s", byName.SID)

	var first *conversations.Message
	for i, body := range []string{"Hi! How can we help?", "My invoice is wrong.", "Let me check.", "Found it, fixing now.", "Done, sorry about that!", "Thanks!", "You're welcome."} {
		author := "alice"
		if i%2 == 1 && sms != nil {
			author = cfg.smsTo
		}
		m, err := s.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Author: conversations.Ptr(author), Body: conversations.Ptr(body)})
		if err != nil {
			return fmt.Errorf("sending message %d: %w", i, err)
		}
		if first == nil {
			first = m
		}
	}
	say("6. Sent 7 messages; the first is %s", first.SID)

	say("7. All messages, newest first, fetched 3 per page as the loop needs them:")
	for m, err := range s.Messages.All(ctx, conv.SID, &conversations.MessageListParams{Order: conversations.Ptr(conversations.MessageOrderDesc), ListParams: conversations.ListParams{PageSize: conversations.Ptr(3)}}) {
		if err != nil {
			return fmt.Errorf("listing messages: %w", err)
		}
		say("   #%d %-14s %s", m.Index, m.Author+":", m.Body)
	}

	if fake != nil && sms != nil {
		// The fake stands in for the carrier: report the first message read.
		page, err := s.Receipts.List(ctx, conv.SID, first.SID, nil)
		if err != nil {
			return err
		}
		for _, r := range page.Items {
			if err := fake.SetReceiptStatus(r.SID, "read", 0); err != nil {
				return err
			}
		}
	}
	n := 0
	for r, err := range s.Receipts.All(ctx, conv.SID, first.SID, nil) {
		if err != nil {
			return fmt.Errorf("reading receipts: %w", err)
		}
		n++
		say("8. Receipt %s: participant %s, status %s (channel message %s)", r.SID, r.ParticipantSID, r.Status, r.ChannelMessageSID)
	}
	if n == 0 {
		say("8. No delivery receipts for the first message (it had no non-chat recipient yet)")
	}
	if m, err := s.Messages.Fetch(ctx, conv.SID, first.SID); err == nil && m.Delivery != nil {
		say("   Delivery summary: %d recipient(s), sent %s, delivered %s, read %s", m.Delivery.Total, m.Delivery.Sent, m.Delivery.Delivered, m.Delivery.Read)
	}

	upd, err := s.Conversations.Update(ctx, conv.SID, &conversations.ConversationUpdateParams{
		FriendlyName: conversations.Ptr("Support #1234 (resolved)"),
		State:        conversations.Ptr(conversations.ConversationStateInactive),
	})
	if err != nil {
		return fmt.Errorf("updating the conversation: %w", err)
	}
	say("9. Updated the conversation: %q, state %s", upd.FriendlyName, upd.State)
	edited, err := s.Messages.Update(ctx, conv.SID, first.SID, &conversations.MessageUpdateParams{Body: conversations.Ptr("Hi! How can we help? (edited)")})
	if err != nil {
		return fmt.Errorf("editing a message: %w", err)
	}
	say("   Edited message #%d: %q", edited.Index, edited.Body)

	if err := s.Messages.Delete(ctx, conv.SID, first.SID); err != nil {
		return fmt.Errorf("deleting a message: %w", err)
	}
	_, err = s.Messages.Fetch(ctx, conv.SID, first.SID)
	say("10. Deleted message %s; fetching it now gives not-found: %v", first.SID, conversations.IsNotFound(err))

	// Media: upload a file to the conversation's service, then attach it.
	const pixel = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xd0\xaa\xff\x0f\x00\x02\x7f\x01\xa9\x8exB\x96\x00\x00\x00\x00IEND\xaeB`\x82"
	img, err := s.Media.Upload(ctx, &conversations.MediaUploadParams{ContentType: "image/png", Filename: "pixel.png", Body: strings.NewReader(pixel), Size: int64(len(pixel))})
	if err != nil {
		return fmt.Errorf("uploading an image: %w", err)
	}
	withImg, err := s.Messages.Create(ctx, conv.SID, &conversations.MessageCreateParams{Author: conversations.Ptr("alice"), MediaSID: conversations.Ptr(img.SID)})
	if err != nil {
		return fmt.Errorf("sending the image: %w", err)
	}
	say("   Sent %s (%d bytes, %s) as media %s in message #%d", img.Filename, img.Size, img.ContentType, withImg.Media[0].SID, withImg.Index)

	if err := s.Participants.Delete(ctx, conv.SID, alice.SID); err != nil {
		return fmt.Errorf("removing alice: %w", err)
	}
	if err := s.Conversations.Delete(ctx, conv.SID); err != nil {
		return fmt.Errorf("deleting the conversation: %w", err)
	}
	say("11. Removed alice and deleted the conversation with its messages and participants")
	return nil
}
