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
