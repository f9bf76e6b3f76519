/// A place the localizer thinks an EAN-13 symbol is.
public struct BarcodeCandidate: Sendable, Equatable {
    /// The bars region (DATA.md section 1), in the reading direction the localizer guessed.
    public var quad: Quad
    /// Higher is more barcode-like; comparable between the candidates of one photo.
    public var score: Double
    /// The coarse region it was refined from, for drawing.
    public var region: OrientedRectangle
    /// Edges on a typical line across the bars: about 60 for a whole EAN-13 symbol, fewer when
    /// blur merges thin bars or only part of the bars was found.
    public var edgeCount = 0

    /// The same region read the other way: what to try when the guessed direction reads badly.
    public var flipped: Quad { quad.rotatedHalfTurn }
}

extension Quad {
    /// The same four corners for a symbol read from the other end (turned by 180°).
    public var rotatedHalfTurn: Quad {
        Quad(topLeft: bottomRight, topRight: bottomLeft, bottomRight: topLeft, bottomLeft: topRight)
    }
}
