package bottest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"salescoach/bot/jobs"
	"salescoach/coach"
	"salescoach/picture"
)

// QuickPaint stands in for jobs.Paint in the tests of how pictures travel
// (commands, buttons, the console, the digest's thread): it returns at once a
// small PNG, 800 px wide like the narrowest real picture, whose colour says
// which picture it stands for and in which language (QuickPicture reads it
// back). How the pictures look is tested in package picture and on the
// salescoach binary, where drawing runs at its real speed.
func QuickPaint(d jobs.Drawing, lang coach.Lang) ([]byte, error) {
	kind := pictureKinds[fmt.Sprintf("%T", d)]
	if kind == 0 {
		return nil, fmt.Errorf("bottest: QuickPaint does not know %T", d)
	}
	img := image.NewRGBA(image.Rect(0, 0, 800, 4))
	c := color.RGBA{R: kind, G: langByte[lang], B: 0x80, A: 0xff}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var pictureKinds = map[string]uint8{
	fmt.Sprintf("%T", picture.Flow{}):      1,
	fmt.Sprintf("%T", picture.Trend{}):     2,
	fmt.Sprintf("%T", picture.Blueprint{}): 3,
}

var langByte = map[coach.Lang]uint8{coach.EN: 1, coach.ZH: 2}

// QuickPicture reads a PNG of QuickPaint: the picture it stands for
// ("flow", "trend" or "blueprint") and its language; ok is false for any
// other file.
func QuickPicture(b []byte) (kind string, lang coach.Lang, ok bool) {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 800 || img.Bounds().Dy() != 4 {
		return "", "", false
	}
	r, g, _, _ := img.At(0, 0).RGBA()
	kinds := map[uint32]string{1: "flow", 2: "trend", 3: "blueprint"}
	langs := map[uint32]coach.Lang{1: coach.EN, 2: coach.ZH}
	kind, lang = kinds[r>>8], langs[g>>8]
	return kind, lang, kind != "" && lang != ""
}
