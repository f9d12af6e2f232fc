export * from "./cartpole";
export * from "./sam-seg";
