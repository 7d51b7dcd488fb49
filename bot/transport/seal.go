package transport

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Sealer encrypts the bot tokens stored for OAuth installs (AES-256-GCM under
// SALESCOACH_SECRET_KEY) and signs the OAuth state. A sealed token is bound to
// its workspace: it opens only with the team id it was sealed for, so a row
// copied to another team is useless.
type Sealer struct {
	aead     cipher.AEAD
	stateKey []byte
}

// NewSealer returns a Sealer for a 32-byte key, or an error for another size.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret key: %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	// The state is signed with a key of its own, derived from the secret key.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("salescoach oauth state"))
	return &Sealer{aead: aead, stateKey: mac.Sum(nil)}, nil
}

func tokenAD(teamID string) []byte { return []byte("salescoach bot token for " + teamID) }

// Seal encrypts a token for a team: a random nonce followed by the ciphertext.
func (s *Sealer) Seal(token, teamID string) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(token)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal token: %w", err)
	}
	return s.aead.Seal(nonce, nonce, []byte(token), tokenAD(teamID)), nil
}

// errUnseal hides why a sealed token did not open: a wrong key, a wrong team
// or damaged bytes all look alike.
var errUnseal = errors.New("stored token does not open with SALESCOACH_SECRET_KEY for this workspace")

// Open decrypts a token sealed for teamID.
func (s *Sealer) Open(sealed []byte, teamID string) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return "", errUnseal
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], tokenAD(teamID))
	if err != nil {
		return "", errUnseal
	}
	return string(plain), nil
}

func (s *Sealer) sign(msg string) []byte {
	mac := hmac.New(sha256.New, s.stateKey)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}
