using System.Runtime.CompilerServices;

namespace KMeansPS.Engine.Kernels;

/// <summary>
/// The coordinates of <c>TWidth.Count</c> consecutive points, one point per lane, and their squared
/// distances to a centre in exactly <see cref="ScalarKernels.Distance"/>'s operation sequence: diff0 * diff0,
/// then diff_d * diff_d added in coordinate order, each step rounded. D = 2, 3 and 4 hold the coordinates in
/// registers and round the product before the add; <see cref="DimsN"/> serves any other D and fuses each
/// product into its add (one rounding: twice the terms per cycle where the add pipes are the limit). Points
/// come as structure-of-arrays planes: coordinate d of a lane's point is stride floats after coordinate d - 1.
/// </summary>
internal static unsafe class PointLanes<TWidth, TFloats>
    where TWidth : ILaneWidth<TFloats>
    where TFloats : struct
{
    internal struct Dims2 : IPointLanes<Dims2, TFloats>
    {
        private TFloats _x0, _x1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Dims2 Load(float* point, nint stride, int dims) =>
            new() { _x0 = TWidth.Load(point), _x1 = TWidth.Load(point + stride) };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TFloats Distance(float* centre) => AddSquare(Square(_x0, centre[0]), _x1, centre[1]);
    }

    internal struct Dims3 : IPointLanes<Dims3, TFloats>
    {
        private TFloats _x0, _x1, _x2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Dims3 Load(float* point, nint stride, int dims) =>
            new() { _x0 = TWidth.Load(point), _x1 = TWidth.Load(point + stride), _x2 = TWidth.Load(point + 2 * stride) };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TFloats Distance(float* centre) =>
            AddSquare(AddSquare(Square(_x0, centre[0]), _x1, centre[1]), _x2, centre[2]);
    }

    internal struct Dims4 : IPointLanes<Dims4, TFloats>
    {
        private TFloats _x0, _x1, _x2, _x3;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Dims4 Load(float* point, nint stride, int dims) => new()
        {
            _x0 = TWidth.Load(point),
            _x1 = TWidth.Load(point + stride),
            _x2 = TWidth.Load(point + 2 * stride),
            _x3 = TWidth.Load(point + 3 * stride),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TFloats Distance(float* centre) =>
            AddSquare(AddSquare(AddSquare(Square(_x0, centre[0]), _x1, centre[1]), _x2, centre[2]), _x3, centre[3]);
    }

    /// <summary>Any D (from 5; D = 1 has no add): coordinates are re-read from the planes (L1-resident) for every centre; fused terms.</summary>
    internal struct DimsN : IPointLanes<DimsN, TFloats>
    {
        private float* _point;
        private nint _stride;
        private int _dims;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static DimsN Load(float* point, nint stride, int dims) => new() { _point = point, _stride = stride, _dims = dims };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly TFloats Distance(float* centre)
        {
            TFloats sum = Square(TWidth.Load(_point), centre[0]);
            float* plane = _point;
            for (int d = 1; d < _dims; d++)
            {
                plane += _stride;
                sum = AddSquareFused(sum, TWidth.Load(plane), centre[d]);
            }
            return sum;
        }
    }

    /// <summary>(coordinate - centre)^2: the first coordinate's term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats Square(TFloats coordinate, float centre)
    {
        TFloats diff = TWidth.Subtract(coordinate, TWidth.Broadcast(centre));
        return TWidth.Multiply(diff, diff);
    }

    /// <summary>sum + (coordinate - centre)^2, the product rounded before the add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats AddSquare(TFloats sum, TFloats coordinate, float centre) => TWidth.Add(sum, Square(coordinate, centre));

    /// <summary>sum + (coordinate - centre)^2 with one rounding (<see cref="ILaneWidth{TFloats}.MultiplyAdd"/>): D &gt;= 5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TFloats AddSquareFused(TFloats sum, TFloats coordinate, TFloats centre)
    {
        TFloats diff = TWidth.Subtract(coordinate, centre);
        return TWidth.MultiplyAdd(diff, diff, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TFloats AddSquareFused(TFloats sum, TFloats coordinate, float centre) =>
        AddSquareFused(sum, coordinate, TWidth.Broadcast(centre));
}
