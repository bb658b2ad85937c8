# Warnings and sanitizers for everything built for the host.
add_compile_options(-Wall -Wextra -Werror -Wshadow -Wvla)
# C11 without GNU extensions; POSIX (termios, clock_gettime, fork) on request.
add_compile_definitions(_POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
if(RS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Add every immediate subdirectory of the current source dir that has a
# CMakeLists.txt, so a new area needs no edit to a shared file.
macro(rs_add_subdirectories)
  file(GLOB _rs_children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT _rs_children)
  foreach(_rs_child IN LISTS _rs_children)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_rs_child}/CMakeLists.txt)
      add_subdirectory(${_rs_child})
    endif()
  endforeach()
endmacro()

# Hardening as Debian builds its packages (lintian hardening-no-relro,
# hardening-no-bindnow, hardening-no-fortify-functions): a read-only GOT bound
# at start-up, and libc's checked string and I/O functions. _FORTIFY_SOURCE
# needs optimisation, so only the optimised configurations get it; not in
# the sanitizer build, which checks the same calls itself; and not when
# CFLAGS already choose a level (dpkg-buildflags do), which a second -D would
# turn into a redefinition error.
add_link_options(-Wl,-z,relro,-z,now)
if(NOT RS_SANITIZE AND NOT CMAKE_C_FLAGS MATCHES "_FORTIFY_SOURCE")
  add_compile_definitions($<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:_FORTIFY_SOURCE=2>)
endif()
