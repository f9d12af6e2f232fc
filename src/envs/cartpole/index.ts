export * from "./cartpole";
export { renderCartPole, CARTPOLE_FRAME_WIDTH, CARTPOLE_FRAME_HEIGHT } from "./cartpole-render";
