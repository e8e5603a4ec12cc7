// The auditors' commands of the application layer (app/audit.h,
// app/archive.h): who may sign a checkpoint, proofs that round-trip and
// tampered ones refused, archives that fail verification for what is wrong
// in them, and restores that refuse or leave nothing behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app_fixture.h"
#include "helpers.h"
#include "vledger/app/archive.h"
#include "vledger/app/audit.h"
#include "vledger/ledger/archive.h"
#include "vledger/ledger/checkpoint.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

using testing::AppLedger;
using testing::ReadAll;

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Copies the archive `from` to `to`, letting `edit` change each entry.
void RewriteArchive(const std::string& from, const std::string& to,
                    const std::function<void(ArchiveEntry&)>& edit) {
  auto reader = ArchiveReader::Open(from);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto writer = ArchiveWriter::Create(to, 0644);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  while (true) {
    auto entry = reader->Next();
    ASSERT_TRUE(entry.ok()) << entry.status().message();
    if (!*entry) break;
    edit(**entry);
    ASSERT_TRUE(writer->Write(**entry).ok());
  }
  ASSERT_TRUE(writer->Finish().ok());
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    l.Vl("village add V01 --name 曲家村");
    for (const char* k : {"c", "a2", "a3"}) l.Vl(std::string("key new --out ") + k + ".key");
    l.Vl("key register --pub c.key.pub --role collector --village V01");
    l.Vl("key register --pub a2.key.pub --role admin");
    l.Vl("key register --pub a3.key.pub --role admin");
    auto a3 = PrivateKey::LoadPem(Key("a3"));
    ASSERT_TRUE(a3.ok());
    l.Vl("key revoke " + a3->key_id());
    l.Vl("household add H001 --village V01 --head 曲建国");
    l.Vl("resident add R001 --village V01 --household H001 --name 曲建国 --birth-year 1962");
  }

  std::string Key(const std::string& name) const { return l.dir() + "/" + name + ".key"; }
  std::string Pub(const std::string& name) const { return Key(name) + ".pub"; }
  app::Session Reader() const { return l.SessionFor(""); }
  app::Session At(const std::string& ledger_dir) const {
    app::SessionOptions o;
    o.ledger_dir = ledger_dir;
    return app::Session(o);
  }
  uint64_t Size() const {
    auto ledger = Reader().OpenReader();
    return ledger.ok() ? (*ledger)->size() : 0;
  }

  // Exports an archive of `kind` at the current size, signed by the admin.
  std::string Export(const std::string& name, app::ArchiveKind kind) const {
    std::string path = l.File(name);
    auto r = app::Export(l.AdminSession(), app::ExportRequest{path, kind, std::nullopt, {}});
    EXPECT_TRUE(r.ok()) << r.status().message();
    return path;
  }

  // What VerifyArchive says of `archive`: its fault, or its refusal.
  Status Verify(const std::string& archive, const std::string& pub) const {
    auto r = app::VerifyArchive(Reader(), app::VerifyArchiveRequest{archive, "", pub, {}});
    return r.ok() ? r->fault : r.status();
  }

  AppLedger l;
};

// ------------------------------------------------- checkpoint signing

TEST_F(AuditTest, CheckpointWithoutAKeyIsInvalidInput) {
  auto r = app::Checkpoint(Reader(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_EQ(r.status().field(), "--key");
}

TEST_F(AuditTest, ANonAdminKeyMayNotSignACheckpoint) {
  auto r = app::Checkpoint(l.SessionFor(Key("c")), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(r.status().field(), "--key");
  EXPECT_TRUE(Contains(r.status().message(), "role collector")) << r.status().message();
}

TEST_F(AuditTest, ARevokedAdminKeyMayNotSignACheckpoint) {
  auto r = app::Checkpoint(l.SessionFor(Key("a3")), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kPermissionDenied);
  EXPECT_TRUE(Contains(r.status().message(), "revoked")) << r.status().message();
}

TEST_F(AuditTest, AKeyRegisteredAfterTheSizeMayNotSignAtIt) {
  auto r = app::Checkpoint(l.SessionFor(Key("a2")), app::CheckpointRequest{2});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().field(), "--size");
  EXPECT_TRUE(Contains(r.status().message(), "later sizes only")) << r.status().message();
  // At the current size it may.
  auto now = app::Checkpoint(l.SessionFor(Key("a2")), {});
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->head.size, Size());
}

TEST_F(AuditTest, ASizeInsideACommitIsInvalidInput) {
  const uint64_t before = Size();
  WriteAll(l.File("rules.csv"),
           "code,category,points,village,min,max,description\n"
           "VOL,志愿服务,2,,,,参加志愿服务\nELDER,孝老爱亲,5,,,,照顾老人\n");
  l.Vl("import rules.csv --kind rules");
  ASSERT_EQ(Size(), before + 2) << "an import commits its rows at once";
  auto r = app::Checkpoint(l.AdminSession(), app::CheckpointRequest{before + 1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_EQ(r.status().field(), "--size");
  EXPECT_TRUE(Contains(r.status().message(), "splits commit")) << r.status().message();
}

TEST_F(AuditTest, ASizePastTheEndIsInvalidInput) {
  auto r = app::Checkpoint(l.AdminSession(), app::CheckpointRequest{Size() + 1});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidInput);
  EXPECT_TRUE(Contains(r.status().message(), "past the end")) << r.status().message();
}

// --------------------------------------------------------------- proofs

TEST_F(AuditTest, AProofVerifiesOfflineAndATamperedOneIsRefused) {
  auto proof = app::Prove(l.AdminSession(), app::ProveRequest{1, std::nullopt});
  ASSERT_TRUE(proof.ok()) << proof.status().message();
  EXPECT_EQ(proof->index, 1u);
  EXPECT_EQ(proof->size, Size());
  std::string path = l.File("p1.tlog-proof");
  WriteAll(path, proof->proof);
  auto ok = app::VerifyProof(Reader(), app::VerifyProofRequest{path, Pub("admin")});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->seq, 1u);
  EXPECT_EQ(ok->head.size, Size());
  EXPECT_TRUE(Contains(ok->body_json, "曲家村")) << ok->body_json;
  EXPECT_EQ(app::VerifyProofJson(*ok).rfind("{\"ok\":true,\"seq\":1,", 0), 0u);

  // One byte of the proven event changed: the path no longer leads to the root.
  auto parsed = ParseTlogProof(proof->proof);
  ASSERT_TRUE(parsed.ok());
  parsed->extra.back() ^= 1;
  WriteAll(path, FormatTlogProof(*parsed));
  auto bad = app::VerifyProof(Reader(), app::VerifyProofRequest{path, Pub("admin")});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kVerificationFailed);
  EXPECT_TRUE(Contains(bad.status().message(), "does not lead to the checkpoint root"))
      << bad.status().message();

  // Another key did not sign its checkpoint.
  WriteAll(path, proof->proof);
  auto other = app::VerifyProof(Reader(), app::VerifyProofRequest{path, Pub("c")});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kVerificationFailed);
  EXPECT_TRUE(Contains(other.status().message(), "checkpoint signature does not verify"));
}

TEST_F(AuditTest, ProvingASeqPastTheEndIsNotFound) {
  auto r = app::Prove(l.AdminSession(), app::ProveRequest{Size(), std::nullopt});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().field(), "SEQ");
}

TEST_F(AuditTest, AMissingProofFileIsNotFound) {
  auto r = app::VerifyProof(Reader(), app::VerifyProofRequest{l.File("none"), Pub("admin")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().field(), "proof");
}

TEST_F(AuditTest, AConsistencyProofVerifiesBetweenTwoCheckpoints) {
  auto old_head = app::Checkpoint(l.AdminSession(), app::CheckpointRequest{2});
  ASSERT_TRUE(old_head.ok()) << old_head.status().message();
  auto new_head = app::Checkpoint(l.AdminSession(), {});
  ASSERT_TRUE(new_head.ok()) << new_head.status().message();
  auto proof = app::Consistency(Reader(), app::ConsistencyRequest{2, std::nullopt});
  ASSERT_TRUE(proof.ok()) << proof.status().message();
  WriteAll(l.File("old"), old_head->text);
  WriteAll(l.File("new"), new_head->text);
  WriteAll(l.File("proof"), app::ConsistencyJson(*proof));
  auto r = app::VerifyConsistency(Reader(),
                                  {l.File("old"), l.File("new"), l.File("proof"), Pub("admin")});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->old_head.size, 2u);
  // Swapped, the old one is the larger: refused.
  auto swapped = app::VerifyConsistency(
      Reader(), {l.File("new"), l.File("old"), l.File("proof"), Pub("admin")});
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.status().code(), Code::kVerificationFailed);
}

// ------------------------------------------------------------- archives

TEST_F(AuditTest, AnExportedArchiveVerifies) {
  std::string path = Export("full.vla", app::ArchiveKind::kFull);
  auto r = app::VerifyArchive(Reader(), app::VerifyArchiveRequest{path, "", Pub("admin"), {}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->fault.ok()) << r->fault.message();
  EXPECT_EQ(r->events, Size());
  EXPECT_EQ(r->persons, 2u);  // the household head and the resident
  EXPECT_FALSE(r->is_public);
  EXPECT_TRUE(r->warnings.empty());
  // Without --pub: checked against the archive's own admin keys, with a warning.
  auto own = app::VerifyArchive(Reader(), app::VerifyArchiveRequest{path, "", "", {}});
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(own->fault.ok()) << own->fault.message();
  ASSERT_EQ(own->warnings.size(), 1u);
  EXPECT_TRUE(Contains(own->warnings[0].English(), "no --pub"));
}

TEST_F(AuditTest, ATruncatedArchiveFailsVerification) {
  std::string path = Export("pub.vla", app::ArchiveKind::kPublic);
  std::string bytes = ReadAll(path);
  WriteAll(l.File("cut.vla"), bytes.substr(0, bytes.size() - 40));
  Status st = Verify(l.File("cut.vla"), Pub("admin"));
  EXPECT_EQ(st.code(), Code::kVerificationFailed) << st.message();
  EXPECT_TRUE(Contains(st.message(), "cut.vla does not verify")) << st.message();
}

TEST_F(AuditTest, AFlippedByteInAnEventFailsVerificationAtItsSeq) {
  std::string path = Export("pub.vla", app::ArchiveKind::kPublic);
  RewriteArchive(path, l.File("flip.vla"), [](ArchiveEntry& entry) {
    auto* e = std::get_if<ArchiveEvent>(&entry);
    if (e != nullptr && e->seq == 2) e->canonical.back() ^= 1;
  });
  Status st = Verify(l.File("flip.vla"), Pub("admin"));
  EXPECT_EQ(st.code(), Code::kVerificationFailed) << st.message();
  EXPECT_TRUE(Contains(st.message(), "does not verify: seq 2: ")) << st.message();
}

TEST_F(AuditTest, APublicArchiveRelabelledFullFailsVerification) {
  std::string path = Export("pub.vla", app::ArchiveKind::kPublic);
  RewriteArchive(path, l.File("relabelled.vla"), [](ArchiveEntry& entry) {
    if (auto* h = std::get_if<ArchiveHeader>(&entry)) h->is_public = false;
  });
  Status st = Verify(l.File("relabelled.vla"), Pub("admin"));
  EXPECT_EQ(st.code(), Code::kVerificationFailed) << st.message();
  EXPECT_TRUE(Contains(st.message(), "the full archive lacks the person record")) << st.message();
}

TEST_F(AuditTest, AnArchiveCheckedWithAnotherKeyFailsVerification) {
  std::string path = Export("pub.vla", app::ArchiveKind::kPublic);
  Status st = Verify(path, Pub("c"));
  EXPECT_EQ(st.code(), Code::kVerificationFailed) << st.message();
  EXPECT_TRUE(Contains(st.message(), "checkpoint signature does not verify")) << st.message();
}

TEST_F(AuditTest, AMissingArchiveIsNotFound) {
  Status st = Verify(l.File("none.vla"), Pub("admin"));
  EXPECT_EQ(st.code(), Code::kNotFound) << st.message();
  EXPECT_TRUE(Contains(st.message(), "cannot open archive")) << st.message();
}

// -------------------------------------------------------------- restore

TEST_F(AuditTest, RestoreRefusesAnExistingFolder) {
  std::string path = Export("full.vla", app::ArchiveKind::kFull);
  std::filesystem::create_directory(l.File("existing"));
  auto r = app::Restore(At(l.File("existing")), app::RestoreRequest{path, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(r.status().field(), "--ledger");
  EXPECT_TRUE(std::filesystem::is_empty(l.File("existing")));
}

TEST_F(AuditTest, ABadArchiveRestoresNothing) {
  std::string path = Export("full.vla", app::ArchiveKind::kFull);
  std::string bytes = ReadAll(path);
  WriteAll(l.File("cut.vla"), bytes.substr(0, bytes.size() - 40));
  auto r = app::Restore(At(l.File("restored")), app::RestoreRequest{l.File("cut.vla"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kVerificationFailed);
  EXPECT_TRUE(Contains(r.status().message(), "nothing was restored")) << r.status().message();
  EXPECT_FALSE(std::filesystem::exists(l.File("restored")));
}

TEST_F(AuditTest, ArchivesAndBackupsRestoreAndVerify) {
  std::string full = Export("full.vla", app::ArchiveKind::kFull);
  auto from_full = app::Restore(At(l.File("from-full")), app::RestoreRequest{full, {}});
  ASSERT_TRUE(from_full.ok()) << from_full.status().message();
  EXPECT_EQ(from_full->events, Size());
  EXPECT_TRUE(from_full->warnings.empty());

  std::string pub = Export("pub.vla", app::ArchiveKind::kPublic);
  auto from_pub = app::Restore(At(l.File("from-pub")), app::RestoreRequest{pub, {}});
  ASSERT_TRUE(from_pub.ok()) << from_pub.status().message();
  ASSERT_EQ(from_pub->warnings.size(), 1u);
  EXPECT_TRUE(Contains(from_pub->warnings[0].English(), "no person records"));
  // A ledger restored from a public archive cannot make a full one.
  auto refused =
      app::Export(At(l.File("from-pub")),
                  app::ExportRequest{l.File("x.vla"), app::ArchiveKind::kFull, std::nullopt, {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(refused.status().field(), "--full");

  auto backup = app::Backup(Reader(), app::BackupRequest{l.File("backup")});
  ASSERT_TRUE(backup.ok()) << backup.status().message();
  EXPECT_EQ(backup->events, Size());
  auto from_backup =
      app::Restore(At(l.File("from-backup")), app::RestoreRequest{l.File("backup"), {}});
  ASSERT_TRUE(from_backup.ok()) << from_backup.status().message();
  EXPECT_FALSE(from_backup->from_archive);
  EXPECT_EQ(from_backup->root, from_full->root);
}

}  // namespace
}  // namespace vledger
