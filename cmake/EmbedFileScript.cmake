# Script half of casegraph_embed_file: writes IN as a C array named VAR into OUT.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <cstddef>\nextern const char ${VAR}[] = {${body} 0};\nextern const std::size_t ${VAR}_size = ${size};\n")
