/// Choosing OpenBLAS's kernels for this CPU.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent CPUs and falls back to its oldest
/// kernels, several times slower. It reads `OPENBLAS_CORETYPE` once, when the library
/// loads, which happens before any of our code runs; so the command sets the variable and
/// starts itself again.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum BLASKernels {
    /// The kernel family for a CPU with these `/proc/cpuinfo` flags, or nil to leave the
    /// choice to OpenBLAS. AVX-512 kernels are chosen only when the CPU has AVX-512.
    public static func coreType(cpuFlags: Set<String>) -> String? {
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(cpuFlags.contains) {
            return "SkylakeX"
        }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) {
            return "Haswell"
        }
        return nil
    }

    /// The flags of the first processor listed in the text of `/proc/cpuinfo`.
    public static func cpuFlags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingSpaces() == "flags" {
                return Set(parts[1].split(separator: " ").map(String.init))
            }
        }
        return []
    }

    /// When `OPENBLAS_CORETYPE` is unset and this CPU has a known kernel family, sets it
    /// and replaces the process with a fresh copy of itself (same arguments), so that
    /// OpenBLAS loads with it. A value the user set is kept. Returns if nothing was done.
    public static func relaunchWithKernelsForThisCPU() {
        guard getenv("OPENBLAS_CORETYPE") == nil,
              let cpuinfo = try? readText("/proc/cpuinfo"),
              let core = coreType(cpuFlags: cpuFlags(cpuinfo: cpuinfo)) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure: carry on with the default kernels.
    }

    private static func readText(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw CPUInfoUnreadable() }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private struct CPUInfoUnreadable: Error {}
}

private extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
