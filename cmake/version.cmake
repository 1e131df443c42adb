# The git commit is baked into the binary so `kafka-backup --version` names it.
find_package(Git QUIET)
set(KB_GIT_COMMIT "unknown")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                  OUTPUT_VARIABLE KB_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                  ERROR_QUIET)
  if(NOT KB_GIT_COMMIT)
    set(KB_GIT_COMMIT "unknown")
  endif()
endif()

# Re-run CMake when HEAD moves, so --version never names a stale commit.
if(EXISTS ${CMAKE_SOURCE_DIR}/.git/HEAD)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/.git/HEAD)
  file(READ ${CMAKE_SOURCE_DIR}/.git/HEAD KB_GIT_HEAD)
  if(KB_GIT_HEAD MATCHES "^ref: ([^\n]+)")
    set(KB_GIT_REF ${CMAKE_SOURCE_DIR}/.git/${CMAKE_MATCH_1})
    if(EXISTS ${KB_GIT_REF})
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KB_GIT_REF})
    endif()
  endif()
endif()
