package picture

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

// The pictures draw every letter with one font that has both Latin and
// Chinese glyphs: Noto Sans CJK SC (SIL Open Font License 1.1, fonts/OFL.txt),
// cut down to GB 2312 plus the characters the project uses by
// fonts/subset.py. Embedded data is not read from the binary until a picture
// is drawn, so an idle server pays nothing for it.
var (
	//go:embed fonts/NotoSansSC-Regular-subset.otf
	regularOTF []byte
	//go:embed fonts/NotoSansSC-Bold-subset.otf
	boldOTF []byte
)

type fontSet struct {
	regular, bold *opentype.Font
}

// loadFonts parses the embedded fonts once, on the first picture.
var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	regular, err := opentype.Parse(regularOTF)
	if err != nil {
		return nil, fmt.Errorf("parse regular font: %w", err)
	}
	bold, err := opentype.Parse(boldOTF)
	if err != nil {
		return nil, fmt.Errorf("parse bold font: %w", err)
	}
	return &fontSet{regular: regular, bold: bold}, nil
})

// faces hands out font faces by size and weight. A face is not safe for
// concurrent use, so each picture has its own faces.
type faces struct {
	set   *fontSet
	cache map[faceKey]font.Face
}

type faceKey struct {
	size float64
	bold bool
}

func newFaces() (*faces, error) {
	set, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return &faces{set: set, cache: map[faceKey]font.Face{}}, nil
}

func (f *faces) face(size float64, bold bool) font.Face {
	k := faceKey{size, bold}
	if fc, ok := f.cache[k]; ok {
		return fc
	}
	src := f.set.regular
	if bold {
		src = f.set.bold
	}
	fc, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// NewFace fails only on a size or DPI it cannot use; ours are constants.
		panic(fmt.Sprintf("picture: font face %v: %v", k, err))
	}
	f.cache[k] = fc
	return fc
}

// width returns how wide s is drawn at size.
func (f *faces) width(s string, size float64, bold bool) float64 {
	return float64(font.MeasureString(f.face(size, bold), s)) / 64
}
