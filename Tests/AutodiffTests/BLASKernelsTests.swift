/// The choice of OpenBLAS kernel family from CPU flags.

import Testing
import Autodiff

struct BLASKernelsTests {
    @Test func avx512ChoosesSkylakeX() {
        let flags: Set = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]
        #expect(BLASKernels.coreType(cpuFlags: flags) == "SkylakeX")
    }

    @Test func avx2WithoutAVX512ChoosesHaswell() {
        #expect(BLASKernels.coreType(cpuFlags: ["avx", "avx2", "fma"]) == "Haswell")
        // A partial AVX-512 set (as on some virtual machines) must not get AVX-512 kernels.
        #expect(BLASKernels.coreType(cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
    }

    @Test func olderCPULeavesTheChoiceToOpenBLAS() {
        #expect(BLASKernels.coreType(cpuFlags: ["sse2", "sse4_2", "avx"]) == nil)
    }

    @Test func flagsAreReadFromTheFirstProcessor() {
        let cpuinfo = """
        processor\t: 0
        model name\t: Some CPU
        flags\t\t: fpu sse2 avx2 fma
        processor\t: 1
        flags\t\t: fpu avx512f
        """
        #expect(BLASKernels.cpuFlags(cpuinfo: cpuinfo) == ["fpu", "sse2", "avx2", "fma"])
    }
}
