import Foundation
import PaperFeedCore
import PaperFeedEvaluation

enum Fixture {
    static func path(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures")
        else { fatalError("missing fixture \(name).\(ext)") }
        return url.path
    }

    struct Expected {
        var perUser: [String: [String: Double]]
        var mean: [String: Double]
        var ranxMean: [String: Double]?
    }

    static func expected(_ name: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name, "expected.json")))
        let obj = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        func doubles(_ any: Any?) -> [String: Double]? {
            (any as? [String: Any])?.mapValues { ($0 as! NSNumber).doubleValue }
        }
        let per = (obj["per_user"] as! [String: Any]).mapValues { doubles($0)! }
        return Expected(perUser: per, mean: doubles(obj["mean"])!, ranxMean: doubles(obj["ranx_mean"]))
    }
}

/// A judged ranking from grades in rank order (hand-made cases).
func ranking(_ grades: [Int], relevant: Int? = nil, ideal: [Int]? = nil) -> JudgedRanking {
    let idealGrades = (ideal ?? grades).filter { $0 > 0 }.sorted(by: >)
    return JudgedRanking(
        grades: grades, relevantCount: relevant ?? (ideal ?? grades).filter { $0 >= 1 }.count, idealGrades: idealGrades)
}

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }
