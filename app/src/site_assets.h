// The villager site's static files (site/ in the source tree), embedded in
// the program by the build (scripts/embed-site.cmake): `vledger site`
// writes each under DIR/assets/.
#pragma once

#include <string_view>
#include <vector>

namespace vledger::app {

struct SiteAsset {
  std::string_view path;   // relative to site/: "site.js", "vendor/noble-hashes/sha2.js"
  std::string_view bytes;  // the file's bytes
};

// Every embedded file, in the order the build lists them.
const std::vector<SiteAsset>& SiteAssets();

}  // namespace vledger::app
