package cluster

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"

	"deskbot/compliance"
)

// maxPayload is what one notification carries (PostgreSQL's limit is 8000
// bytes).
const maxPayload = 7900

// sealer seals notifications: long ones are compressed first (an agent's
// reply may be a few kilobytes), then sealed with AES-GCM and base64'd.
type sealer struct {
	c *compliance.Sealer
}

var busAAD = []byte("deskbot desk bus v1")

func newSealer(key []byte) (*sealer, error) {
	c, err := compliance.NewSealer(key)
	if err != nil {
		return nil, fmt.Errorf("cluster: bus key: %w", err)
	}
	return &sealer{c: c}, nil
}

func (s *sealer) seal(raw []byte) (string, error) {
	body := append([]byte{'j'}, raw...)
	if len(raw) > 2048 {
		var z bytes.Buffer
		w, _ := flate.NewWriter(&z, flate.BestSpeed)
		w.Write(raw)
		w.Close()
		body = append([]byte{'z'}, z.Bytes()...)
	}
	out := base64.StdEncoding.EncodeToString(s.c.Seal(body, busAAD))
	if len(out) > maxPayload {
		return "", fmt.Errorf("%w: %d bytes sealed", ErrTooLarge, len(out))
	}
	return out, nil
}

func (s *sealer) open(payload string) ([]byte, error) {
	blob, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, err
	}
	body, err := s.c.Open(blob, busAAD)
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, fmt.Errorf("cluster: empty notification")
	}
	switch body[0] {
	case 'j':
		return body[1:], nil
	case 'z':
		return io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(body[1:])), 1<<20))
	}
	return nil, fmt.Errorf("cluster: unknown notification format %q", body[0])
}
