using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Applies an EXIF Orientation (TIFF/EXIF tag 0x0112) to pixels, giving them as they are meant to be seen. Value
/// v says where the stored image's first row and first column belong: 1 top/left (as stored), 2 top/right (mirror
/// left-right), 3 bottom/right (rotate 180), 4 bottom/left (mirror top-bottom), 5 left/top (transpose), 6
/// right/top (rotate 90 clockwise), 7 right/bottom (transverse), 8 left/bottom (rotate 90 anticlockwise).
/// Values 5 to 8 swap width and height.
/// </summary>
internal static class ExifOrientationTransform
{
    /// <summary>
    /// The image as it is to be seen. Orientation 1 (or null, or a value outside 1..8) returns <paramref name="image"/>
    /// itself; any other returns a new image.
    /// </summary>
    public static RgbaImage Apply(RgbaImage image, int? orientation)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (orientation is not (>= 2 and <= 8) || orientation is not int turn) return image;
        bool swaps = turn >= 5;
        int outWidth = swaps ? image.Height : image.Width, outHeight = swaps ? image.Width : image.Height;
        // A 16-bit source (TIFF) turns its 16-bit pixels the same way.
        return new RgbaImage(outWidth, outHeight, Turn(image.Pixels, image.Width, image.Height, turn),
            image.Wide is null ? null : Turn(image.Wide, image.Width, image.Height, turn));
    }

    private static T[] Turn<T>(T[] source, int width, int height, int orientation)
    {
        int outWidth = orientation >= 5 ? height : width;
        var result = new T[source.Length];
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<T> row = source.AsSpan(y * width, width);
            for (int x = 0; x < width; x++)
            {
                (int tx, int ty) = orientation switch
                {
                    2 => (width - 1 - x, y),
                    3 => (width - 1 - x, height - 1 - y),
                    4 => (x, height - 1 - y),
                    5 => (y, x),
                    6 => (height - 1 - y, x),
                    7 => (height - 1 - y, width - 1 - x),
                    _ => (y, width - 1 - x),
                };
                result[ty * outWidth + tx] = row[x];
            }
        }
        return result;
    }
}
