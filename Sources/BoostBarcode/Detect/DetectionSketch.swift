/// A picture for a person checking the localizer: the photo, the coarse regions (thin blue), the
/// refined candidates (yellow), the chosen quad (top edge red, the others green, top-left corner a
/// blue dot) and, when known, the true quad (thin white).
public enum DetectionSketch {
    public static func draw(_ image: Image, regions: [OrientedRectangle], candidates: [BarcodeCandidate],
                            truth: Quad?) -> Image {
        var planes = ColourPlanes(width: image.width, height: image.height)
        let plane = planes.planeSize
        for index in 0..<plane {
            for channel in 0..<3 {
                planes.values[channel * plane + index] = Float(image.pixels[index * image.channels + (image.isGrey ? 0 : channel)])
            }
        }
        func stroke(_ points: [Point], radius: Double, _ colour: Colour) {
            let mask = CoverageMask.strokes([points], radius: radius, pictureWidth: image.width, pictureHeight: image.height)
            planes.blend(colour, through: mask)
        }
        func outline(_ quad: Quad) -> [Point] { quad.corners + [quad.topLeft] }
        for region in regions { stroke(outline(region.quad), radius: 0.5, Colour(red: 60, green: 140, blue: 255)) }
        if let truth { stroke(outline(truth), radius: 0.5, Colour(grey: 255)) }
        for candidate in candidates.dropFirst() { stroke(outline(candidate.quad), radius: 0.6, Colour(red: 255, green: 220, blue: 0)) }
        if let chosen = candidates.first?.quad {
            stroke([chosen.topRight, chosen.bottomRight, chosen.bottomLeft, chosen.topLeft], radius: 0.7,
                   Colour(red: 40, green: 255, blue: 40))
            stroke([chosen.topLeft, chosen.topRight], radius: 0.7, Colour(red: 255, green: 30, blue: 30))
            stroke([chosen.topLeft], radius: 2.5, Colour(red: 40, green: 120, blue: 255))
        }
        return planes.image()
    }
}
