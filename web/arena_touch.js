// Touch controls for the arena on phones and tablets: a touch that starts on the left half of the canvas is a
// movement stick (its direction from where the thumb came down), one that starts on the right half aims at the
// touched point and fires while held, as the mouse does. Pure: no DOM, so it is unit-tested under Node.

import { BUTTONS } from './vendor/guildhall-client.js';

export const STICK_DEAD_ZONE_PX = 12;   // a thumb resting still moves nothing
// A direction is held when the stick is within 67.5 degrees of it, so diagonals hold two: eight directions.
const AXIS_COS = Math.cos((67.5 * Math.PI) / 180);

/** The movement buttons of a stick pushed (dx, dy) screen pixels from where it started (y grows downwards). */
export function stickButtons(dx, dy) {
  const length = Math.hypot(dx, dy);
  if (!(length >= STICK_DEAD_ZONE_PX)) return 0;
  const right = dx / length;
  const up = -dy / length;
  let buttons = 0;
  if (right > AXIS_COS) buttons |= BUTTONS.right;
  if (right < -AXIS_COS) buttons |= BUTTONS.left;
  if (up > AXIS_COS) buttons |= BUTTONS.up;
  if (up < -AXIS_COS) buttons |= BUTTONS.down;
  return buttons;
}

/** Whether a touch at clientX over `box` (the canvas's bounding box) is the movement stick's. */
export function isStickTouch(clientX, box) {
  return clientX < box.left + box.width / 2;
}
