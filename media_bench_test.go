package conversations

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

// heapDuring runs f while sampling the live heap every 500µs, and returns
// the highest HeapAlloc seen and the baseline HeapAlloc measured (after a
// GC) just before f started.
func heapDuring(f func()) (peak, base uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base = ms.HeapAlloc
	peak = base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var s runtime.MemStats
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&s)
			if s.HeapAlloc > peak {
				peak = s.HeapAlloc
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak, base
}

const benchMediaSize = 100 << 20

// BenchmarkMediaUpload streams 100 MiB per op through MediaService.Upload
// to a 127.0.0.1 server that discards it. Compare with
// BenchmarkMediaUploadRawPost (same server, same generator):
//
//	go test -run '^$' -bench MediaUpload -benchtime 10x
func BenchmarkMediaUpload(b *testing.B) {
	us := newUploadServer(b)
	c, err := NewClient(testAccountSID, testAuthToken, WithBaseURL(us.URL))
	if err != nil {
		b.Fatal(err)
	}
	media := c.Service(testServiceSID).Media
	b.SetBytes(benchMediaSize)
	b.ReportAllocs()
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, bs := heapDuring(func() {
			_, err = media.Upload(context.Background(), &MediaUploadParams{
				ContentType: "application/octet-stream", Filename: "big.bin",
				Body: io.LimitReader(zeros{}, benchMediaSize), Size: benchMediaSize,
			})
		})
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, p-bs)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkMediaUploadRawPost is the baseline: a bare http.Post of the same
// generator to the same server, with the same Content-Length.
func BenchmarkMediaUploadRawPost(b *testing.B) {
	us := newUploadServer(b)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	b.SetBytes(benchMediaSize)
	b.ReportAllocs()
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		p, bs := heapDuring(func() {
			req, rerr := http.NewRequest(http.MethodPost, us.URL+"/v1/Services/"+testServiceSID+"/Media", io.LimitReader(zeros{}, benchMediaSize))
			if rerr != nil {
				err = rerr
				return
			}
			req.ContentLength = benchMediaSize
			req.Header.Set("Content-Type", "application/octet-stream")
			resp, derr := hc.Do(req)
			if derr != nil {
				err = derr
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		})
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, p-bs)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}
