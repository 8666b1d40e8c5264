package kb

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The model file sits next to the Bleve index. It is written to a temporary
// file and renamed, so a crash never leaves a half-written model behind.
const modelFile = "model.bin"

var modelMagic = [8]byte{'D', 'K', 'B', 'M', 'O', 'D', 'L', '1'}

// ErrModelFormat marks an unreadable model file (it is then retrained).
var ErrModelFormat = errors.New("kb: bad model file")

type modelHeader struct {
	Key      string          `json:"key"`
	IDs      []string        `json:"ids"`
	Features featureConfig   `json:"features"`
	Calib    calib           `json:"calib"`
	Self     selfCalibration `json:"self"`
	NFeat    int             `json:"n_feat"`
	NPost    int             `json:"n_post"`
	NLex     int             `json:"n_lex"`
	NLexPost int             `json:"n_lex_post"`
}

// loadOrTrainModel returns the model for arts, reading it from dir when the
// stored one was trained on the same articles, else training and storing a
// new one. trained reports which happened.
func loadOrTrainModel(ctx context.Context, dir string, arts []*Article) (m *intentModel, trained bool, err error) {
	key := modelKey(arts)
	p := filepath.Join(dir, modelFile)
	if m, err := readModel(p); err == nil && m.key == key {
		m.derive(arts)
		return m, false, nil
	}
	m, err = trainModel(ctx, key, arts, defaultFeatures, defaultTrain)
	if err != nil {
		return nil, false, err
	}
	if err := writeModel(p, m); err != nil {
		return nil, false, err
	}
	return m, true, nil
}

func writeModel(p string, m *intentModel) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(p), ".model-*")
	if err != nil {
		return fmt.Errorf("kb: writing model: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<20)
	hdr, err := json.Marshal(modelHeader{
		Key: m.key, IDs: m.ids, Features: m.fc, Calib: m.cal, Self: m.self,
		NFeat: len(m.voc.idf), NPost: len(m.lin.cls),
		NLex: len(m.lex.keys), NLexPost: len(m.lex.cls),
	})
	if err != nil {
		return fmt.Errorf("kb: encoding model: %w", err)
	}
	hashes := make([]uint64, len(m.voc.idf))
	for h, id := range m.voc.ids {
		hashes[id] = h
	}
	for _, v := range []any{modelMagic, uint32(len(hdr)), hdr, hashes, m.voc.idf, m.lin.off, m.lin.cls, m.lin.w,
		m.lex.keys, m.lex.off, m.lex.cls, m.lex.imp} {
		if err := binary.Write(w, binary.LittleEndian, v); err != nil {
			return fmt.Errorf("kb: writing model: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("kb: writing model: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("kb: writing model: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("kb: writing model: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("kb: writing model: %w", err)
	}
	return nil
}

func readModel(p string) (*intentModel, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var magic [8]byte
	var n uint32
	if err := binary.Read(r, binary.LittleEndian, &magic); err != nil || magic != modelMagic {
		return nil, fmt.Errorf("%w: magic", ErrModelFormat)
	}
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil || n > 1<<30 {
		return nil, fmt.Errorf("%w: header size", ErrModelFormat)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrModelFormat, err)
	}
	var h modelHeader
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrModelFormat, err)
	}
	if h.NFeat < 0 || h.NPost < 0 || h.NFeat > 1<<28 || h.NPost > 1<<30 ||
		h.NLex < 0 || h.NLexPost < 0 || h.NLex > 1<<28 || h.NLexPost > 1<<30 {
		return nil, fmt.Errorf("%w: sizes", ErrModelFormat)
	}
	hashes := make([]uint64, h.NFeat)
	voc := &vocab{idf: make([]float32, h.NFeat)}
	lin := &linear{nClass: len(h.IDs), off: make([]uint32, h.NFeat+1), cls: make([]int32, h.NPost), w: make([]float32, h.NPost)}
	lex := &lexicon{keys: make([]uint64, h.NLex), off: make([]uint32, h.NLex+1), cls: make([]int32, h.NLexPost), imp: make([]float32, h.NLexPost)}
	for _, v := range []any{hashes, voc.idf, lin.off, lin.cls, lin.w, lex.keys, lex.off, lex.cls, lex.imp} {
		if err := binary.Read(r, binary.LittleEndian, v); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrModelFormat, err)
		}
	}
	if int(lin.off[h.NFeat]) != h.NPost {
		return nil, fmt.Errorf("%w: postings", ErrModelFormat)
	}
	for i := 1; i <= h.NFeat; i++ {
		if lin.off[i] < lin.off[i-1] {
			return nil, fmt.Errorf("%w: postings order", ErrModelFormat)
		}
	}
	if int(lex.off[h.NLex]) != h.NLexPost {
		return nil, fmt.Errorf("%w: lexicon", ErrModelFormat)
	}
	for i := 1; i <= h.NLex; i++ {
		if lex.off[i] < lex.off[i-1] {
			return nil, fmt.Errorf("%w: lexicon order", ErrModelFormat)
		}
	}
	for _, cs := range [][]int32{lin.cls, lex.cls} {
		for _, c := range cs {
			if c < 0 || int(c) >= len(h.IDs) {
				return nil, fmt.Errorf("%w: class out of range", ErrModelFormat)
			}
		}
	}
	voc.ids = make(map[uint64]int32, h.NFeat)
	for i, x := range hashes {
		voc.ids[x] = int32(i)
	}
	return &intentModel{key: h.Key, ids: h.IDs, fc: h.Features, voc: voc, lin: lin, lex: lex, cal: h.Calib, self: h.Self}, nil
}
