//! Demo product pictures: a plain colour study of the product's silhouette
//! on a light background, drawn with the `image` crate. Real image files, so
//! the whole picture pipeline (resizing, WebP, srcset, caching) is exercised.
use image::{Rgb, RgbImage};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 1500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    TShirt,
    Shirt,
    Trousers,
    Dress,
    Jacket,
    Sneaker,
    Boot,
    Sandal,
    Pillow,
    Towel,
    Mug,
    Plate,
    Lamp,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::TShirt => "tshirt",
            Shape::Shirt => "shirt",
            Shape::Trousers => "trousers",
            Shape::Dress => "dress",
            Shape::Jacket => "jacket",
            Shape::Sneaker => "sneaker",
            Shape::Boot => "boot",
            Shape::Sandal => "sandal",
            Shape::Pillow => "pillow",
            Shape::Towel => "towel",
            Shape::Mug => "mug",
            Shape::Plate => "plate",
            Shape::Lamp => "lamp",
        }
    }

    /// Outline polygons in a 100 × 125 box.
    fn polygons(self) -> Vec<Vec<(f32, f32)>> {
        match self {
            Shape::TShirt | Shape::Shirt => vec![vec![
                (35.0, 20.0),
                (42.0, 24.0),
                (50.0, 26.0),
                (58.0, 24.0),
                (65.0, 20.0),
                (88.0, 34.0),
                (80.0, 48.0),
                (72.0, 43.0),
                (72.0, 105.0),
                (28.0, 105.0),
                (28.0, 43.0),
                (20.0, 48.0),
                (12.0, 34.0),
            ]],
            Shape::Jacket => vec![vec![
                (34.0, 18.0),
                (50.0, 30.0),
                (66.0, 18.0),
                (84.0, 30.0),
                (92.0, 100.0),
                (80.0, 102.0),
                (74.0, 55.0),
                (74.0, 108.0),
                (26.0, 108.0),
                (26.0, 55.0),
                (20.0, 102.0),
                (8.0, 100.0),
                (16.0, 30.0),
            ]],
            Shape::Trousers => vec![vec![
                (30.0, 15.0),
                (70.0, 15.0),
                (76.0, 112.0),
                (56.0, 112.0),
                (50.0, 45.0),
                (44.0, 112.0),
                (24.0, 112.0),
            ]],
            Shape::Dress => vec![vec![
                (40.0, 15.0),
                (50.0, 22.0),
                (60.0, 15.0),
                (64.0, 45.0),
                (84.0, 112.0),
                (16.0, 112.0),
                (36.0, 45.0),
            ]],
            Shape::Sneaker => vec![vec![
                (12.0, 70.0),
                (18.0, 52.0),
                (38.0, 50.0),
                (52.0, 62.0),
                (80.0, 70.0),
                (90.0, 78.0),
                (90.0, 88.0),
                (12.0, 88.0),
            ]],
            Shape::Boot => vec![vec![
                (25.0, 25.0),
                (50.0, 25.0),
                (52.0, 68.0),
                (82.0, 78.0),
                (86.0, 96.0),
                (22.0, 96.0),
            ]],
            Shape::Sandal => vec![
                vec![(12.0, 84.0), (88.0, 80.0), (90.0, 90.0), (12.0, 92.0)],
                vec![(30.0, 66.0), (44.0, 66.0), (50.0, 84.0), (36.0, 84.0)],
                vec![(58.0, 64.0), (70.0, 64.0), (74.0, 82.0), (62.0, 82.0)],
            ],
            Shape::Pillow => vec![vec![
                (18.0, 35.0),
                (50.0, 40.0),
                (82.0, 35.0),
                (78.0, 62.0),
                (82.0, 90.0),
                (50.0, 85.0),
                (18.0, 90.0),
                (22.0, 62.0),
            ]],
            Shape::Towel => vec![
                vec![(22.0, 20.0), (78.0, 20.0), (78.0, 108.0), (22.0, 108.0)],
                vec![(22.0, 92.0), (78.0, 92.0), (78.0, 98.0), (22.0, 98.0)],
            ],
            Shape::Mug => vec![
                vec![(25.0, 40.0), (68.0, 40.0), (66.0, 98.0), (27.0, 98.0)],
                vec![
                    (68.0, 50.0),
                    (84.0, 52.0),
                    (84.0, 80.0),
                    (67.0, 84.0),
                    (67.0, 76.0),
                    (77.0, 73.0),
                    (77.0, 58.0),
                    (68.0, 57.0),
                ],
            ],
            Shape::Plate => vec![regular(50.0, 65.0, 40.0, 48), regular(50.0, 65.0, 26.0, 48)],
            Shape::Lamp => vec![
                vec![(32.0, 20.0), (68.0, 20.0), (80.0, 55.0), (20.0, 55.0)],
                vec![(47.0, 55.0), (53.0, 55.0), (53.0, 100.0), (47.0, 100.0)],
                vec![(30.0, 100.0), (70.0, 100.0), (72.0, 108.0), (28.0, 108.0)],
            ],
        }
    }
}

fn regular(cx: f32, cy: f32, r: f32, n: usize) -> Vec<(f32, f32)> {
    (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect()
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> Rgb<u8> {
    let m = |x: u8, y: u8| (x as f32 * (1.0 - t) + y as f32 * t).round() as u8;
    Rgb([m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])])
}

/// Parses `#rrggbb`.
pub fn hex_colour(hex: &str) -> [u8; 3] {
    let h = hex.trim_start_matches('#');
    let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128);
    [byte(0), byte(2), byte(4)]
}

/// Fills the polygons with the even-odd rule, row by row.
fn fill(img: &mut RgbImage, polygons: &[Vec<(f32, f32)>], colour: Rgb<u8>, dx: f32, dy: f32) {
    let sx = WIDTH as f32 / 100.0;
    let sy = HEIGHT as f32 / 125.0;
    for poly in polygons {
        let pts: Vec<(f32, f32)> = poly
            .iter()
            .map(|(x, y)| ((x + dx) * sx, (y + dy) * sy))
            .collect();
        let (top, bottom) = pts
            .iter()
            .fold((f32::MAX, f32::MIN), |(t, b), p| (t.min(p.1), b.max(p.1)));
        for y in (top.max(0.0) as u32)..(bottom.min(HEIGHT as f32 - 1.0) as u32) {
            let fy = y as f32 + 0.5;
            let mut xs: Vec<f32> = Vec::new();
            for i in 0..pts.len() {
                let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
                if (a.1 <= fy && b.1 > fy) || (b.1 <= fy && a.1 > fy) {
                    xs.push(a.0 + (fy - a.1) / (b.1 - a.1) * (b.0 - a.0));
                }
            }
            xs.sort_by(|a, b| a.total_cmp(b));
            for pair in xs.chunks(2) {
                if let [from, to] = pair {
                    let from = from.max(0.0) as u32;
                    let to = (to.min(WIDTH as f32)) as u32;
                    for x in from..to {
                        img.put_pixel(x, y, colour);
                    }
                }
            }
        }
    }
}

/// The picture of `shape` in `colour` (`#rrggbb`).
pub fn draw(shape: Shape, colour: &str) -> RgbImage {
    let c = hex_colour(colour);
    let background = mix(c, [255, 255, 255], 0.88);
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, background);
    let polygons = shape.polygons();
    // A soft shadow, then the silhouette, then a lighter inner highlight.
    fill(&mut img, &polygons, mix(c, [255, 255, 255], 0.72), 2.0, 2.0);
    fill(&mut img, &polygons, Rgb(c), 0.0, 0.0);
    if matches!(shape, Shape::Shirt) {
        let placket = vec![vec![
            (49.0, 26.0),
            (51.0, 26.0),
            (51.0, 105.0),
            (49.0, 105.0),
        ]];
        fill(&mut img, &placket, mix(c, [255, 255, 255], 0.5), 0.0, 0.0);
    }
    img
}
