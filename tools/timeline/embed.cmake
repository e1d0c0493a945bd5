# Turn a file into a C byte array: cmake -DIN=file -DOUT=file.c -DNAME=sym -P embed.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN}; do not edit. */\n"
  "const unsigned char ${NAME}[] = {${bytes}0x00};\n"
  "const unsigned long ${NAME}_len = sizeof(${NAME}) - 1;\n")
