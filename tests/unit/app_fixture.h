// A ledger for the application layer's unit tests: made and filled by the
// real `vledger` program (VLEDGER_BIN), then worked on through app/ calls.
//
//   AppLedger l;                                  // init --test-clock, admin key
//   l.Vl("village add V01 --name 曲家村");        // runs the program, asserts exit 0
//   app::Session s = l.AdminSession();            // app calls as the admin
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "temp_dir.h"
#include "vledger/app/session.h"

namespace vledger::testing {

class AppLedger {
 public:
  // The clock every command of the fixture runs at (the ledger is made
  // with --test-clock); Vl and the sessions use it.
  static constexpr const char* kNow = "2021-09-30T10:00:00Z";

  AppLedger() { Vl("init --test-clock --name 测试账本 --admin-key-out " + admin_key(), false); }

  const std::string& dir() const { return dir_; }
  std::string ledger() const { return dir_ + "/ledger"; }
  std::string admin_key() const { return dir_ + "/admin.key"; }
  std::string File(const std::string& name) const { return tmp_.File(name); }

  // Runs `vledger --ledger DIR [--key admin.key] ARGS` (ARGS as a shell
  // would split them) with VLEDGER_NOW = now; returns its exit code.
  int Run(const std::string& args, bool with_admin_key = true,
          const std::string& now = kNow) const {
    std::string cmd = "cd '" + dir_ + "' && VLEDGER_NOW=" + now + " '" + VLEDGER_BIN +
                      "' --ledger '" + ledger() + "'" +
                      (with_admin_key ? " --key '" + admin_key() + "'" : "") + " " + args +
                      " >/dev/null 2>&1";
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  // Run, expecting exit 0.
  void Vl(const std::string& args, bool with_admin_key = true) const {
    ASSERT_EQ(Run(args, with_admin_key), 0) << "vledger " << args;
  }

  // A session on this ledger signing with `key_path` (default the admin's).
  app::Session SessionFor(const std::string& key_path, const std::string& now = kNow) const {
    app::SessionOptions o;
    o.ledger_dir = ledger();
    o.key_path = key_path;
    o.fixed_now = now;
    return app::Session(o);
  }
  app::Session AdminSession(const std::string& now = kNow) const {
    return SessionFor(admin_key(), now);
  }

 private:
  TempDir tmp_;
  std::string dir_ = tmp_.path();
};

}  // namespace vledger::testing
