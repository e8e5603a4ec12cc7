// ApplyBody overloads for rules and points (apply_points.cc).
#pragma once
