import Foundation
import PaperFeedCore

/// Writes `.npy` files (NumPy format version 1.0: magic `\x93NUMPY`, version 1.0, a little-endian
/// UInt16 header length, a Python-dict header padded with spaces to a multiple of 64 bytes and
/// ending in a newline, then the data; see numpy.lib.format).
public enum NumpyWriter {
    /// Writes a float32 matrix (`<f4`, C order) atomically, and `ids` one per line beside it
    /// (`FILE.ids.txt`) when given.
    public static func write(_ array: FloatArray, to path: String, ids: [String]? = nil) throws {
        let shape = array.shape.count == 1 ? "(\(array.shape[0]),)" : "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let len = UInt16(header.utf8.count)
        out += [UInt8(len & 0xff), UInt8(len >> 8)]
        out += Array(header.utf8)
        array.values.withUnsafeBytes { out.append(contentsOf: $0) }
        try AtomicFile.write(Data(out), to: path)
        if let ids { try AtomicFile.write(ids.joined(separator: "\n") + "\n", to: path + ".ids.txt") }
    }
}
