import Foundation

/// One booster's trees laid out flat, to predict a row at a time. XGBoost's predictor spends about
/// a tenth of a millisecond per booster on one row of these models (its per-call set-up and per-tree
/// bookkeeping), which reading a photo pays 13 times for every strip it reads; walking the same trees
/// here takes a few microseconds. XGBoost trains and stores the model; this only reads its JSON form
/// (`multi:softprob`, numerical splits) and predicts what XGBoost predicts, which the tests check.
struct FlatForest: Sendable {
    /// A split (`feature` ≥ 0: rows whose value is below `value` go to `firstChild`, the others to
    /// the child after it) or a leaf (`feature` = −1, `value` its margin).
    struct Node {
        var feature: Int32
        var value: Float
        var firstChild: Int32
    }

    let classCount: Int
    let featureCount: Int
    private let baseScore: Float
    private let nodes: [Node]
    /// Each tree's root in `nodes` and the class it adds to, in XGBoost's order.
    private let roots: [(node: Int32, classIndex: Int32)]

    /// Reads a booster's JSON model (`Booster.serialized(format: "json")`).
    init(json: Data) throws {
        func fail(_ reason: String) -> BoostBarcodeError { .badModel(path: "booster", reason: reason) }
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let learner = root["learner"] as? [String: Any],
              let parameters = learner["learner_model_param"] as? [String: Any],
              let booster = learner["gradient_booster"] as? [String: Any],
              let model = booster["model"] as? [String: Any],
              let trees = model["trees"] as? [[String: Any]],
              let treeClasses = model["tree_info"] as? [Int], treeClasses.count == trees.count
        else { throw fail("not an XGBoost tree model") }
        let objective = (learner["objective"] as? [String: Any])?["name"] as? String
        guard objective == "multi:softprob" || objective == "multi:softmax" else {
            throw fail("objective \(objective ?? "unknown"), expected multi:softprob")
        }
        guard let baseScore = (parameters["base_score"] as? String).flatMap(Float.init),
              let classCount = (parameters["num_class"] as? String).flatMap(Int.init), classCount > 1,
              let featureCount = (parameters["num_feature"] as? String).flatMap(Int.init)
        else { throw fail("model parameters unreadable") }
        var nodes: [Node] = []
        var roots: [(Int32, Int32)] = []
        for (tree, classIndex) in zip(trees, treeClasses) {
            guard classIndex >= 0, classIndex < classCount else { throw fail("tree for class \(classIndex)") }
            roots.append((Int32(nodes.count), Int32(classIndex)))
            try Self.append(tree, featureCount: featureCount, to: &nodes)
        }
        self.classCount = classCount
        self.featureCount = featureCount
        self.baseScore = baseScore
        self.nodes = nodes
        self.roots = roots
    }

    /// Lays one tree out with each split's two children side by side (XGBoost numbers them as it
    /// grows the tree, which need not do so).
    private static func append(_ tree: [String: Any], featureCount: Int, to nodes: inout [Node]) throws {
        func fail(_ reason: String) -> BoostBarcodeError { .badModel(path: "booster", reason: reason) }
        guard let lefts = tree["left_children"] as? [Int], let rights = tree["right_children"] as? [Int],
              let features = tree["split_indices"] as? [Int],
              let conditions = (tree["split_conditions"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.floatValue }),
              !lefts.isEmpty, rights.count == lefts.count, features.count == lefts.count, conditions.count == lefts.count
        else { throw fail("tree arrays missing or of unequal length") }
        if let types = tree["split_type"] as? [Int], types.contains(where: { $0 != 0 }) {
            throw fail("categorical splits are not supported")
        }
        let base = nodes.count
        var placed = [Int32](repeating: -1, count: lefts.count)  // XGBoost node → index here
        var queue = [0]
        placed[0] = Int32(base)
        nodes.append(Node(feature: -1, value: 0, firstChild: -1))
        var next = 0
        while next < queue.count {
            let id = queue[next]
            next += 1
            let at = Int(placed[id])
            guard lefts[id] >= 0 else {
                nodes[at] = Node(feature: -1, value: conditions[id], firstChild: -1)
                continue
            }
            let (left, right) = (lefts[id], rights[id])
            guard left < lefts.count, right >= 0, right < lefts.count, left != right, placed[left] < 0, placed[right] < 0,
                  features[id] >= 0, features[id] < featureCount
            else { throw fail("malformed tree") }
            placed[left] = Int32(nodes.count)
            placed[right] = Int32(nodes.count + 1)
            nodes[at] = Node(feature: Int32(features[id]), value: conditions[id], firstChild: Int32(nodes.count))
            nodes.append(Node(feature: -1, value: 0, firstChild: -1))
            nodes.append(Node(feature: -1, value: 0, firstChild: -1))
            queue += [left, right]
        }
    }

    /// Class probabilities of one row of `featureCount` values (bytes, so none is missing), as
    /// XGBoost's softmax gives them.
    func probabilities(_ row: UnsafeBufferPointer<UInt8>) -> [Float] {
        precondition(row.count == featureCount)
        var margins = [Float](repeating: baseScore, count: classCount)
        nodes.withUnsafeBufferPointer { nodes in
            for (root, classIndex) in roots {
                var node = nodes[Int(root)]
                while node.feature >= 0 {
                    let goesRight = Float(row[Int(node.feature)]) < node.value ? 0 : 1
                    node = nodes[Int(node.firstChild) + goesRight]
                }
                margins[Int(classIndex)] += node.value
            }
        }
        return Self.softmax(margins)
    }

    /// XGBoost's `common::Softmax`: exponentials of the margins less their largest, in single
    /// precision, over their sum taken in double.
    private static func softmax(_ margins: [Float]) -> [Float] {
        let largest = margins.max()!
        let exponentials = margins.map { expf($0 - largest) }
        let sum = Float(exponentials.reduce(0.0) { $0 + Double($1) })
        return exponentials.map { $0 / sum }
    }
}
