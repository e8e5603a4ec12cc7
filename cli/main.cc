// vledger: the command-line program. main() only wires the context and
// hands the command line to RunCommandLine (run.cc).
#include <string>
#include <vector>

#include "context.h"

int main(int argc, char** argv) {
  vledger::cli::Context ctx;
  std::vector<std::string> args(argv + 1, argv + argc);
  return vledger::cli::RunCommandLine(ctx, std::move(args));
}
