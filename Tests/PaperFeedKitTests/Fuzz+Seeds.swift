/// Valid inputs the fuzzer mutates, one small file each, in the formats of Data/README.md.
enum Seeds {
    static let papersJSONL = [
        #"""
        {"id": "2503.11677", "title": "Simulation of prosthetic vision", "abstract": "We simulate.\nTwo lines.", "authors": ["A. Author", "B. Author"], "published_at": "2025-03-18", "upvotes": 12, "categories": ["cs.CV"], "organization": "Meta Research"}
        {"id": "2503.00002", "title": "Second \"quoted\" title \u00e9", "abstract": "", "authors": "C. Author; D. Author", "published_at": "2025-03-18T10:00:00.5+02:00", "upvotes": 0}
        {"id": "2503.00003", "title": "", "abstract": "Only an abstract with a tab\there", "upvotes": null, "extra": {"nested": [1, 2, {"k": true}]}}
        {"id": "2503.11677", "title": "Simulation of prosthetic vision", "abstract": "We simulate.\nTwo lines.", "authors": ["A. Author", "B. Author"], "published_at": "2025-03-18", "upvotes": 12, "categories": ["cs.CV"], "organization": "Meta Research"}

        """#,
        #"""
        {"id":"x1","title":"A","abstract":"B","upvotes":1e2,"published_at":"2026-03-01T00:00:00Z"}
        {"id":"x2","title":"\ud83d\ude00 emoji","abstract":"\u0007bell","authors":[],"categories":"cs.AI;cs.CL"}
        """#,
    ]

    static let papersCSV = [
        """
        id,title,abstract,authors,published_at,upvotes,categories,organization
        2503.11677,"A title, with a comma","An ""abstract""
        over two lines",A. Author; B. Author,2025-03-18,12,cs.CV;cs.AI,
        2503.00002,Plain,Text,,2025-03-19T08:00:00Z,,cs.LG,Org
        2503.00003,,Only abstract,C,,3,,

        """,
        "\u{FEFF}id,title\r\nq1,Title one\r\nq2,\"Title, two\"\r\n",
    ]

    static let arxiv = [
        #"""
        {"id": "2503.00001", "title": "A listed paper", "abstract": "  Abstract with\nhard breaks.", "authors": ["X. Y"], "categories": ["cs.CL", "cs.AI"], "comment": "10 pages", "first_listed": "2025-03-03", "listed_dates": ["2025-03-03"]}
        {"id": "2503.00002", "title": "Another", "abstract": "Text", "authors": [], "categories": [], "comment": null, "first_listed": "2025-03-04", "listed_dates": []}

        """#,
    ]

    static let dailyPapers = [
        """
        new
        Get trending papers in your email inbox!
        Subscribe
        Daily Papers
        byAK and the research community
        Mar 13

        RLHF Workflow: From Reward Modeling to Online RLHF

        We present the workflow of Online Iterative RLHF.

          • 10 authors
        ·
        May 13, 2024 5

        Value-Based Pre-Training with Downstream Feedback

        Can a small amount of verified goal information help?

        metaresearch Meta Research
        ·
        Feb 9 2

        A third entry without metadata

        Its abstract.

        """,
    ]

    static let eventsJSONL = [
        #"""
        {"user": "u1", "paper": "2503.11677", "kind": "impression", "at": "2026-03-10T09:00:00Z", "position": 1, "list": "L1", "propensity": 0.5}
        {"user": "u1", "paper": "2503.11677", "kind": "read", "at": "2026-03-10T09:01:00.123Z"}
        {"user": "u2", "paper": "2503.00002", "kind": "skip", "at": "2026-03-11"}
        {"user": "u1", "paper": "2503.11677", "kind": "impression", "at": "2026-03-10T09:00:00Z", "position": 1, "list": "L1", "propensity": 0.5}
        {"user": "ü3", "paper": "p", "kind": "save", "at": "2026-03-12T00:00:00+01:00", "position": "2", "propensity": "1"}

        """#,
    ]

    static let eventsCSV = [
        """
        user,paper,kind,at,position,list,propensity
        u1,2503.11677,read,2026-03-10T09:01:00Z,,,
        u1,2503.11677,impression,2026-03-10T09:00:00Z,3,L1,0.25
        "u,2",p2,upvote,2026-03-11,,,

        """,
    ]

    static let upvotesCSV = [
        """
        arxiv_id,hf_list_date,observed_at,upvotes,source
        2302.06555,2024-07-11,2024-07-11T23:04:28+00:00,1,l-yohai/daily_papers_ko
        2302.06555,2024-07-12,2024-07-12T23:04:28+00:00,4,l-yohai/daily_papers_ko
        2401.00001,2024-07-12,2024-07-12T10:00:00Z,0,x

        """,
        "paper,observed_at,upvotes\np1,2026-03-01,5\np1,2026-03-01,5\n",
    ]

    static let upvotesJSONL = [
        #"""
        {"paper": "p1", "observed_at": "2026-03-01T10:00:00Z", "upvotes": 3}
        {"paper": "p2", "observed_at": "2026-03-02", "upvotes": 0}

        """#,
    ]

    static let corpus = [
        """
        3 0:1 2:2 4:1
        2 1:3 3:1
        0
        1 5:2
        @@vocabulary
        gene
        protein
        cell
        graph
        network
        node
        @@libraries
        2 0 1
        1 3
        0
        3 0 2 3

        """,
    ]

    static let qrels = [
        "u1 0 a 1\nu1 0 b 0\nu1 0 c 2\nu2 0 a -1\nu2 0 é 3\n\n",
        "u1\t0\tz\t1\r\nu3 0 y 2\r\n",
    ]

    static let runs = [
        "u1 Q0 a 1 0.9 t\nu1 Q0 b 2 0.30000000000000004 t\nu1 Q0 c 3 0.3 t\nu2 Q0 a 1 -1e-5 t\nu2 Q0 d 2 12 t\n",
        "u1 Q0 x 1 5 run\r\nu1 Q0 y 1 5 run\r\n",
    ]

    static let rankingConfigs = [
        #"{"weights": {"content": 0.5, "trend": 0.3, "feedback": 0.1, "freshness": 0.1}, "feedback": {"maxPosition": 20, "examination": [1, 0.5, 0.25]}}"#,
        #"""
        {"coldStartWeights": {"content": 0, "trend": 0.6, "feedback": 0.1, "freshness": 0.3},
         "content": {"read": 1, "save": 1.5, "upvote": 1.5, "skip": -0.5, "unreadImpression": -0.1, "halfLifeDays": 30, "explainTop": 3},
         "trend": {"windowDays": 7, "priorDays": 2, "halfLifeDays": 7}, "candidates": {"windowDays": 7, "excludeRead": true},
         "diversity": {"enabled": true, "lambda": 0.7, "poolFactor": 3}}
        """#,
        "{}",
    ]

    static let experiments = [
        #"""
        {"name": "fuzz", "description": "x", "data": {"store": {"db": "out/x.sqlite", "dims": 16, "candidate_window_days": 3, "hidden_qrels": "q"}},
         "split": {"kind": "replay", "first": "2025-05-25", "last": "2025-05-31"},
         "systems": [{"name": "blend", "baseline": "blend"}, {"name": "random", "baseline": "random"}],
         "metrics": ["ndcg@10", "recall@20", "mrr"], "k": 100, "seed": 1,
         "compare": {"baseline": "blend", "permutations": 1000, "bootstrap": 1000, "clusters": 4, "missing": "zero"}}
        """#,
        #"""
        {"data": {"corpus": {"name": "c", "documents": "d", "vocabulary": "v", "train": "t", "test": "e"}}, "split": {"kind": "ctr", "validation_holdout": 1},
         "systems": [{"name": "content", "baseline": "content", "dims": 50, "aggregation": "itemknn", "neighbours": 20, "min_df": 1, "max_df": 0.9}],
         "metrics": ["recall@50"], "k": 50, "seed": 2, "published": [{"system": "CDL", "source": "paper", "values": {"recall@50": "0.1"}}]}
        """#,
        #"""
        {"data": {"store": {"db": "x"}}, "split": {"kind": "replay", "first": "2025-05-25", "last": "2025-05-31"}, "systems": [],
         "metrics": ["ndcg@10"], "k": 30, "seed": 9,
         "tune": {"validation": {"first": "2025-05-08", "last": "2025-05-20"}, "method": "grid", "max_evaluations": 50, "rounds": 2,
                  "parameters": {"weights.content": [0, 0.3, 1], "feedback.skipPenalty": [0, 0.3]}}}
        """#,
    ]
}
