# Optional CUDA: enabled only when nvcc is found; CPU-only machines skip it cleanly.
# Either way a libtickgrad_cuda is built next to libtickgrad: the CUDA kernels when nvcc is found, otherwise a
# small C++ stub with the same symbols (tg_cuda_built() = 0), so the Java binding always links and can report
# "library not built" instead of failing to load. libtickgrad itself never depends on it.
include(CheckLanguage)
option(TICKGRAD_CUDA "Build the CUDA kernels when nvcc is available" ON)
# sm_90 machine code plus compute_90 PTX, which newer GPUs JIT-compile
set(TICKGRAD_CUDA_ARCHITECTURES "90-real;90-virtual" CACHE STRING "CUDA_ARCHITECTURES of libtickgrad_cuda")

set(TICKGRAD_CUDA_BUILT OFF)
if(TICKGRAD_CUDA)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/cuda/CMakeLists.txt")
    enable_language(CUDA)
    add_subdirectory(cuda)
    set(TICKGRAD_CUDA_BUILT ON)
    message(STATUS "tickgrad: CUDA kernels enabled (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${TICKGRAD_CUDA_ARCHITECTURES})")
  else()
    message(STATUS "tickgrad: no CUDA compiler or no CUDA sources, building the CPU library only")
  endif()
endif()
if(NOT TICKGRAD_CUDA_BUILT)
  add_library(tickgrad_cuda SHARED ${CMAKE_CURRENT_SOURCE_DIR}/cuda/stub/tickgrad_cuda_stub.cpp
                                   ${CMAKE_CURRENT_SOURCE_DIR}/cuda/host/mlp_layout.cpp)
  target_include_directories(tickgrad_cuda PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_compile_options(tickgrad_cuda PRIVATE -fvisibility=hidden)
  set_target_properties(tickgrad_cuda PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif()

# The CUDA harness (every CUDA kernel against the CPU kernel, and a whole training step): a plain C++ program
# on the C ABIs. Without a GPU (or with the stub) it exits with 77, which ctest reports as skipped.
if(TICKGRAD_TESTS AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/test/cuda/CMakeLists.txt")
  enable_testing()
  add_subdirectory(test/cuda ${CMAKE_BINARY_DIR}/test_cuda)
endif()
