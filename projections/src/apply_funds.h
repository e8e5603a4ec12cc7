// ApplyBody overloads for funds (apply_funds.cc).
#pragma once
