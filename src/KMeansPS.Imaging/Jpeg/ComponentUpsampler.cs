namespace KMeansPS.Imaging.Jpeg;

/// <summary>
/// Gives one component's samples for any image row at full resolution, choosing the filter as libjpeg-turbo does
/// with its default fancy upsampling: none at full size; the triangle filters for a factor of 2 across (when the
/// component is more than 2 samples wide), down, or both (likewise); replication for any other whole factors.
/// Neighbours beyond the component's sampled size are copies of its edge samples, as in libjpeg.
/// </summary>
internal sealed class ComponentUpsampler
{
    private enum Filter { Full, H2V1, H1V2, H2V2, Replicate }

    private readonly JpegComponent _component;
    private readonly ComponentPlane _plane;
    private readonly Filter _filter;
    private readonly int _factorH, _factorV, _width;
    private readonly byte[] _row;

    internal ComponentUpsampler(JpegFrame frame, JpegComponent component, ComponentPlane plane)
    {
        _component = component;
        _plane = plane;
        _width = frame.Width;
        _factorH = frame.MaxH / component.H;
        _factorV = frame.MaxV / component.V;
        bool wide = component.SampledWidth > 2;
        _filter = (_factorH, _factorV) switch
        {
            (1, 1) => Filter.Full,
            (2, 1) when wide => Filter.H2V1,
            (1, 2) => Filter.H1V2,
            (2, 2) when wide => Filter.H2V2,
            _ => Filter.Replicate,
        };
        _row = _filter == Filter.Full ? [] : new byte[Math.Max(2 * component.SampledWidth, frame.Width)];
    }

    /// <summary>
    /// How many image rows can be produced once the component's first <paramref name="available"/> sample rows are
    /// decoded (int.MaxValue once all are): a vertical triangle filter also needs the row below.
    /// </summary>
    internal int ImageRowsReady(int available)
    {
        if (available >= _component.SampledHeight) return int.MaxValue;
        return _filter is Filter.H1V2 or Filter.H2V2 ? 2 * available - 1 : _factorV * available;
    }

    /// <summary>The component's samples for image row <paramref name="y"/> (at least the image width of them).</summary>
    internal ReadOnlySpan<byte> Row(int y, JpegKernel kernel)
    {
        int n = _component.SampledWidth;
        switch (_filter)
        {
            case Filter.Full:
                return _plane.Row(y);
            case Filter.H2V1:
                Upsampling.H2V1(kernel, _plane.EdgedRow(y, n), n, _row);
                return _row;
            case Filter.H1V2:
            {
                (int near, int far, int bias) = VerticalNeighbours(y);
                Upsampling.H1V2(kernel, _plane.Row(near), _plane.Row(far), bias, n, _row);
                return _row;
            }
            case Filter.H2V2:
            {
                (int near, int far, int bias) = VerticalNeighbours(y);
                Upsampling.H2V2(kernel, _plane.EdgedRow(near, n), _plane.EdgedRow(far, n), n, _row);
                return _row;
            }
            default:
                Upsampling.Replicate(_plane.Row(y / _factorV), _factorH, _row, _width);
                return _row;
        }
    }

    /// <summary>
    /// The sample row an image row lies in, and the other row the vertical filter weighs: the one above for an even
    /// image row, below for an odd one, the edge rows standing in beyond the top and bottom.
    /// </summary>
    private (int Near, int Far, int Bias) VerticalNeighbours(int y)
    {
        int near = y >> 1;
        return (y & 1) == 0
            ? (near, Math.Max(near - 1, 0), 1)
            : (near, Math.Min(near + 1, _component.SampledHeight - 1), 2);
    }
}
