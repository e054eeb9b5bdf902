{
  "targets": [
    {
      "target_name": "greenthreads_switch",
      "sources": [
        "addon/addon.c",
        "addon/fault_posix.c",
        "addon/memory_posix.c",
        "addon/region.c",
        "addon/signal_info.c",
        "addon/signals_posix.c",
        "addon/stack.c",
        "addon/thread.c",
        "addon/turns.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=gnu11", "-O2", "-fvisibility=hidden", "-Wall", "-Wextra"],
      "conditions": [
        ["target_arch=='x64'", {
          "sources": [
            "asm/switch_x86_64_sysv_elf_gas.S",
            "asm/start_x86_64_sysv_elf_gas.S"
          ]
        }],
        ["target_arch=='arm64'", {
          "sources": [
            "asm/switch_aarch64_aapcs64_elf_gas.S",
            "asm/start_aarch64_aapcs64_elf_gas.S"
          ]
        }]
      ]
    }
  ]
}
