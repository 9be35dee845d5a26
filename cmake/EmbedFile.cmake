# casegraph_embed_file(TARGET VAR FILE): compiles FILE's bytes into TARGET as
# `extern const char VAR[]; extern const size_t VAR_size;` so that data files (the
# built-in schema) travel inside the binary and never have to be found at run time.
function(casegraph_embed_file target var file)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${var}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DVAR=${var} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
