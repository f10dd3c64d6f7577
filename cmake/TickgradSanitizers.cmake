# TICKGRAD_SANITIZE=ON builds the library and tests with AddressSanitizer and UndefinedBehaviorSanitizer.
option(TICKGRAD_SANITIZE "Build with -fsanitize=address,undefined" OFF)
function(tickgrad_sanitize target)
  if(TICKGRAD_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
