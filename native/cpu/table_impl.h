// Builds one ISA's kernel table from the shared templates included before it.
#pragma once
#include "kernels.h"

namespace tg { namespace TG_ISA_NS {

// The table for this ISA; `constexpr` so it is constant-initialised (no code runs at load time).
static constexpr Kernels make_table(int isa) {
  return Kernels{isa, &sgemm, &gemv_rows, &dot_rows, &ger_rows, &add_bias, &col_sum_add,
                 &relu_fwd, &relu_bwd, &leaky_fwd, &leaky_bwd, &scale, &mul, &sum_squares, &sgd, &adam};
}

}}  // namespace tg::TG_ISA_NS
