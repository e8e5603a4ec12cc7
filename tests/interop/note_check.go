// note_check verifies a C2SP signed note — a vledger checkpoint or credit
// certificate (docs/FORMAT.md sections 5 and 13) — with Go's own
// golang.org/x/mod/sumdb/note, which vledger's signatures must satisfy.
//
// Usage: note_check NOTE_FILE PUBLIC_KEY.pem
//
// The key name is the note's first line (a checkpoint's origin) or, for a
// certificate, its second line; the verifier key is built from the PEM
// Ed25519 public key with note.NewEd25519VerifierKey. Prints "ok NAME
// KEYHASH" and exits 0 when note.Open accepts the note; prints the error
// and exits 1 otherwise (2 for bad usage or unreadable files).
//
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev:
//   GO111MODULE=off GOPATH=/usr/share/gocode go run note_check.go ...
package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func fail(code int, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "note_check: "+format+"\n", args...)
	os.Exit(code)
}

func main() {
	if len(os.Args) != 3 {
		fail(2, "usage: note_check NOTE_FILE PUBLIC_KEY.pem")
	}
	msg, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(2, "%v", err)
	}
	pemBytes, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(2, "%v", err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		fail(2, "%s: no PEM block", os.Args[2])
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		fail(2, "%s: %v", os.Args[2], err)
	}
	pub, ok := parsed.(ed25519.PublicKey)
	if !ok {
		fail(2, "%s: not an Ed25519 public key", os.Args[2])
	}
	lines := strings.SplitN(string(msg), "\n", 3)
	if len(lines) < 3 {
		fail(1, "%s: not a signed note", os.Args[1])
	}
	name := lines[0]
	if strings.HasPrefix(name, "vledger-attestation/") {
		name = lines[1]
	}
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		fail(1, "verifier key for %q: %v", name, err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail(1, "verifier %q: %v", vkey, err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail(1, "%v", err)
	}
	fmt.Printf("ok %s %08x %d signature(s) verified\n", name, verifier.KeyHash(), len(n.Sigs))
}
