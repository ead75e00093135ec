import Foundation
import Testing

@testable import PaperFeedCore

@Suite struct TimestampTests {
    @Test func parsesDatesAndOffsets() throws {
        #expect(Timestamp.parse("1970-01-02")?.timeIntervalSince1970 == 86_400)
        #expect(Timestamp.parse("2024-04-08T14:31:10+02:00") == Timestamp.parse("2024-04-08T12:31:10Z"))
        #expect(Timestamp.parse("2024-04-08 12:31:10") == Timestamp.parse("2024-04-08T12:31:10Z"))
        #expect(Timestamp.parse("2024-04-08T12:31:10.250Z")!.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0.25)
        #expect(Timestamp.parse("2024-02-30") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.parse("2024-04-08T25:00:00Z") == nil)
        #expect(Timestamp.parse("2024-04-08T12:00:00Zjunk") == nil)
    }

    @Test func formatRoundTrips() throws {
        for text in ["2025-03-18T00:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T12:00:00.125Z"] {
            #expect(Timestamp.format(Timestamp.parse(text)!) == text)
        }
        #expect(Timestamp.formatDay(Timestamp.parse("2024-02-29T23:59:59Z")!) == "2024-02-29")
    }

    @Test func civilConversionAgreesOverManyDays() {
        // Every day from 1900 to 2100 must round-trip through days_from_civil / civil_from_days.
        var day = Timestamp.daysFromCivil(1900, 1, 1)
        let end = Timestamp.daysFromCivil(2100, 12, 31)
        var previous = (1899, 12, 31)
        while day <= end {
            let (y, m, d) = Timestamp.civilFromDays(day)
            #expect(Timestamp.daysFromCivil(y, m, d) == day)
            #expect((y, m, d) > previous)
            previous = (y, m, d)
            day += 1
        }
    }
}

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")  // FIPS 180-2 example, checked with sha256sum
        #expect(SHA256.hex(String(repeating: "a", count: 1000)).count == 64)
    }

    @Test func incrementalEqualsOneShot() {
        var g = SeededGenerator(seed: 7)
        let bytes = (0..<1000).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        var s = SHA256()
        s.update(contiguous: Array(bytes[0..<3]))
        s.update(contiguous: Array(bytes[3..<130]))
        s.update(contiguous: Array(bytes[130...]))
        #expect(s.finalize() == SHA256.hash(bytes))
    }
}

@Suite struct SeededGeneratorTests {
    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        for _ in 0..<100 { #expect(a.next() == b.next()) }
        var c = SeededGenerator(seed: 43)
        var d = SeededGenerator(seed: 42).derived(1)
        #expect(d.nextUnit() != c.nextUnit())
    }

    @Test func gaussianMoments() {
        var g = SeededGenerator(seed: 1)
        let n = 20_000
        var sum = 0.0, sq = 0.0
        for _ in 0..<n {
            let x = g.nextGaussian()
            sum += x
            sq += x * x
        }
        #expect(abs(sum / Double(n)) < 0.03)
        #expect(abs(sq / Double(n) - 1) < 0.05)
    }

    @Test func paperIDOrderIsByteOrder() {
        #expect(PaperID("2503.1") < PaperID("2503.2"))
        #expect(PaperID("B") < PaperID("a"))
    }
}
